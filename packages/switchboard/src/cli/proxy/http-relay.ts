import type { Readable, Writable } from 'node:stream';
import { ErrorCode } from '../../protocol/errors.js';
import { META } from '../../protocol/versions.js';
import { readLines } from '../dev/line-reader.js';
import type { FetchLike } from '../oauth/index.js';
import { HeaderMirror } from './mirrored-headers.js';
import { readEvents } from './sse-reader.js';

type Message = Record<string, unknown>;

/** Options of {@link HttpRelay}. */
export interface RelayOptions {
  /** The remote MCP endpoint. */
  url: string;
  /** Sends the requests; `authorizedFetch` adds the token and signs in. */
  fetch: FetchLike;
  /** The stdio client's messages, one JSON-RPC message a line. */
  input: Readable;
  /** Where the server's messages go, one a line. */
  output: Writable;
  /** Extra headers on every request (an API key, a tenant). */
  headers?: Record<string, string>;
  /** Diagnostics, on stderr. */
  log: (line: string) => void;
}

/** How long the relay lets requests in flight finish after stdin closes (a `subscriptions/listen` never does). */
const DRAIN_MS = 5_000;

/**
 * A stdio-to-Streamable-HTTP relay for both protocol eras. Each stdin line is POSTed; JSON and SSE answers become
 * stdout lines, so notifications, progress and server-to-client requests (2025-11-25 elicitation, sampling, roots)
 * reach the client and its answers go back as POSTs. A 2025-era connection keeps the `Mcp-Session-Id` and the
 * negotiated `MCP-Protocol-Version`, and opens the session's GET stream after `notifications/initialized`; a
 * 2026-07-28 request gets its mirrored headers, and `notifications/cancelled` for it closes its stream, which is
 * how that revision cancels over HTTP. HTTP failures become JSON-RPC errors for the request, so the client never
 * waits for an answer that cannot come.
 */
export class HttpRelay {
  readonly #options: RelayOptions;
  readonly #mirror = new HeaderMirror();
  readonly #inflight = new Map<string, { method: string; abort: AbortController; done: Promise<void> }>();
  readonly #background = new Set<Promise<void>>();
  #sessionId: string | undefined;
  #legacyVersion: string | undefined;
  readonly #closing = new AbortController();

  constructor(options: RelayOptions) {
    this.#options = options;
  }

  /** Relays until stdin ends, then drains, ends the 2025-era session and resolves. */
  async run(): Promise<void> {
    const ended = new Promise<void>((resolve) => this.#options.input.once('end', resolve));
    readLines(this.#options.input, (line) => this.#fromClient(line));
    await ended;
    await this.#drain();
  }

  #fromClient(line: string): void {
    let message: Message | Message[];
    try {
      message = JSON.parse(line) as Message | Message[];
    } catch {
      this.#write({
        jsonrpc: '2.0',
        id: null,
        error: { code: ErrorCode.ParseError, message: 'Parse error: not JSON' },
      });
      return;
    }
    if (!Array.isArray(message) && message.method === 'notifications/cancelled' && this.#cancelModern(message)) return;
    const id = Array.isArray(message) ? undefined : message.id;
    const isRequest = !Array.isArray(message) && typeof message.method === 'string' && id !== undefined;
    const abort = new AbortController();
    const done = this.#post(message, abort.signal).catch((error: unknown) => {
      if (abort.signal.aborted) return;
      const text = error instanceof Error ? error.message : String(error);
      this.#options.log(`switchboard proxy: ${text}`);
      if (isRequest) this.#write(errorFor(id, ErrorCode.InternalError, text));
    });
    if (isRequest) {
      const key = JSON.stringify(id);
      this.#inflight.set(key, { method: String((message as Message).method), abort, done });
      void done.finally(() => {
        if (this.#inflight.get(key)?.done === done) this.#inflight.delete(key);
      });
    } else {
      this.#track(done);
    }
  }

  /** 2026-07-28 cancellation over HTTP is closing the request's stream; true when that was done. */
  #cancelModern(message: Message): boolean {
    const params = (message.params ?? {}) as Message;
    if (!isModern(message)) return false;
    const pending = this.#inflight.get(JSON.stringify(params.requestId));
    pending?.abort.abort();
    return true;
  }

  async #post(message: Message | Message[], signal: AbortSignal): Promise<void> {
    const single = Array.isArray(message) ? undefined : message;
    const headers: Record<string, string> = {
      ...this.#options.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (single !== undefined && isModern(single)) {
      headers['mcp-protocol-version'] = String(metaOf(single)?.[META.protocolVersion]);
      Object.assign(headers, this.#mirror.headersFor(single));
    } else {
      if (this.#sessionId !== undefined) headers['mcp-session-id'] = this.#sessionId;
      if (this.#legacyVersion !== undefined) headers['mcp-protocol-version'] = this.#legacyVersion;
    }
    const response = await this.#options.fetch(this.#options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(message),
      signal: AbortSignal.any([signal, this.#closing.signal]),
    });
    if (single?.method === 'initialize') {
      this.#sessionId = response.headers.get('mcp-session-id') ?? undefined;
    }
    await this.#relayAnswer(response, single);
    if (single?.method === 'notifications/initialized' && response.ok && this.#sessionId !== undefined) {
      this.#track(this.#listen());
    }
  }

  async #relayAnswer(response: Response, request: Message | undefined): Promise<void> {
    const type = response.headers.get('content-type') ?? '';
    if (response.status === 202 || response.status === 204) return void (await response.body?.cancel());
    if (type.startsWith('text/event-stream') && response.body !== null) {
      for await (const event of readEvents(response.body)) this.#fromServer(event.data);
      return;
    }
    const text = await response.text();
    if (type.includes('json') && text !== '') {
      try {
        const body = JSON.parse(text) as Message | Message[];
        for (const message of Array.isArray(body) ? body : [body]) this.#deliver(message);
        return;
      } catch {
        // Not JSON after all: answered below as an HTTP failure.
      }
    }
    if (request?.id !== undefined && request.method !== undefined) {
      this.#write(
        errorFor(
          request.id,
          ErrorCode.InternalError,
          `the server answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        ),
      );
    }
  }

  #fromServer(data: string): void {
    try {
      this.#deliver(JSON.parse(data) as Message);
    } catch {
      this.#options.log(`switchboard proxy: skipped an SSE event that is not JSON: ${data.slice(0, 120)}`);
    }
  }

  #deliver(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.#inflight.get(JSON.stringify(message.id));
      if (pending?.method === 'tools/list') this.#mirror.learn(message.result);
      if (pending?.method === 'initialize') {
        const version = (message.result as Message | undefined)?.protocolVersion;
        if (typeof version === 'string') this.#legacyVersion = version;
      }
    }
    this.#write(message);
  }

  /** The 2025-era session's GET stream: server notifications and requests outside any call. */
  async #listen(): Promise<void> {
    let lastEventId: string | undefined;
    for (let failures = 0; failures < 5 && !this.#closing.signal.aborted; ) {
      const headers: Record<string, string> = { ...this.#options.headers, accept: 'text/event-stream' };
      if (this.#sessionId !== undefined) headers['mcp-session-id'] = this.#sessionId;
      if (this.#legacyVersion !== undefined) headers['mcp-protocol-version'] = this.#legacyVersion;
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      try {
        const response = await this.#options.fetch(this.#options.url, { headers, signal: this.#closing.signal });
        // 405: the server offers no GET stream, which the transport allows.
        if (!response.ok || response.body === null) return void (await response.body?.cancel());
        for await (const event of readEvents(response.body)) {
          if (event.id !== undefined) lastEventId = event.id;
          this.#fromServer(event.data);
        }
        failures = 0;
      } catch {
        if (this.#closing.signal.aborted) return;
        failures += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    }
  }

  async #drain(): Promise<void> {
    const pending = [...this.#inflight.values()].map((entry) => entry.done);
    const timer = new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref());
    await Promise.race([Promise.all([...pending, ...this.#background]), timer]);
    this.#closing.abort();
    if (this.#sessionId !== undefined) {
      const headers: Record<string, string> = { ...this.#options.headers, 'mcp-session-id': this.#sessionId };
      if (this.#legacyVersion !== undefined) headers['mcp-protocol-version'] = this.#legacyVersion;
      await this.#options
        .fetch(this.#options.url, { method: 'DELETE', headers, signal: AbortSignal.timeout(2_000) })
        .then((response) => response.body?.cancel())
        .catch(() => {});
    }
  }

  #track(work: Promise<void>): void {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }

  #write(message: unknown): void {
    this.#options.output.write(`${JSON.stringify(message)}\n`);
  }
}

function metaOf(message: Message): Message | undefined {
  return ((message.params as Message | undefined)?._meta ?? undefined) as Message | undefined;
}

/** A 2026-07-28 message carries its protocol version in `_meta` (basic/index §General fields). */
function isModern(message: Message): boolean {
  return typeof metaOf(message)?.[META.protocolVersion] === 'string';
}

function errorFor(id: unknown, code: number, message: string): Message {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message } };
}
