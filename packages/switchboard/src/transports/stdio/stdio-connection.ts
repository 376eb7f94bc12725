import type { Readable, Writable } from 'node:stream';
import type { AuthInfo } from '../../protocol/auth.js';
import { encodeBatch, readBatch, serveBatch } from '../../protocol/batch.js';
import { ErrorCode } from '../../protocol/errors.js';
import { classifyMessage, encodeError, PARSE_ERROR_BODY, readableId } from '../../protocol/jsonrpc.js';
import type {
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  Params,
  RequestId,
} from '../../protocol/messages.js';
import type { SessionSlot } from '../../protocol/method-table.js';
import { OutboundRequests } from '../../protocol/outbound-requests.js';
import { META } from '../../protocol/versions.js';
import { sessionNotification } from '../../server/session-notifications.js';
import type { Switchboard } from '../../server/switchboard.js';
import type { ServerEvent } from '../../stores/bus.js';
import type { LineWriter } from './stdio-link.js';
import { StdioLink } from './stdio-link.js';

/**
 * One stdio connection: newline-delimited JSON-RPC in both eras. A connection that sends `initialize` gets
 * 2025-era semantics scoped to it; requests with per-request `_meta` are served statelessly.
 */
export interface StdioConnectionOptions {
  /** Longest accepted message line in bytes (default 4 MiB, as the HTTP body limit); longer lines get -32600. */
  maxMessageBytes: number;
  /** How long in-flight calls may run on once the client closes stdin (default 5 s); then they are cancelled. */
  drainTimeoutMs: number;
  /** The caller of every request on this connection. */
  auth: AuthInfo | undefined;
}

export class StdioConnection implements LineWriter {
  readonly #server: Switchboard;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #options: StdioConnectionOptions;
  readonly #inflight = new Map<RequestId, StdioLink>();
  readonly #outbound = new OutboundRequests();
  readonly #slot: SessionSlot = { id: undefined, state: undefined };
  /** The start of a line whose newline has not arrived yet. */
  #held: string[] = [];
  #heldLength = 0;
  /** Inside an over-long line: everything up to its newline is dropped. */
  #discarding = false;
  /** Requests that live until cancelled (subscriptions/listen); nothing to drain when the client leaves. */
  readonly #longLived = new Set<StdioLink>();
  #drained: (() => void) | undefined;
  /** Batches whose answer line is not written yet. */
  #batches = 0;
  /** Lines waiting to be written; flushed once per event-loop turn so a burst of replies is one write. */
  #outgoing = '';
  #unsubscribe: (() => void) | undefined;
  readonly closed: Promise<void>;

  constructor(server: Switchboard, input: Readable, output: Writable, options: StdioConnectionOptions) {
    this.#server = server;
    this.#input = input;
    this.#output = output;
    this.#options = options;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.#receive(chunk));
    this.closed = new Promise((resolve) => {
      let ended = false;
      const finish = () => {
        if (ended) return;
        ended = true;
        void this.#drain().then(() => {
          this.close();
          resolve();
        });
      };
      input.once('end', finish);
      input.once('close', finish);
    });
  }

  /**
   * The client closed stdin (2025-11-25 basic/lifecycle §Shutdown): calls in flight finish and their results are
   * written, as over HTTP; questions to the client can no longer be answered, and subscriptions simply end.
   */
  async #drain(): Promise<void> {
    this.#outbound.rejectAll('the client closed the connection');
    for (const link of this.#longLived) link.cancel();
    if (this.#idle) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#options.drainTimeoutMs);
      timer.unref();
      this.#drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  writeLine(line: string, now = false): void {
    // 2026-07-28 stdio: messages are newline-delimited and MUST NOT contain embedded newlines (JSON text has none).
    if (this.#outgoing === '' && !now) setImmediate(() => this.#flush());
    this.#outgoing += `${line}\n`;
    if (now) this.#flush();
  }

  #flush(): void {
    if (this.#outgoing === '') return;
    const chunk = this.#outgoing;
    this.#outgoing = '';
    // A client that reads slowly must not make us buffer without bound: stop reading requests until it catches up.
    if (!this.#output.write(chunk) && !this.#input.isPaused()) {
      this.#input.pause();
      this.#output.once('drain', () => this.#input.resume());
    }
  }

  request(method: string, params: Params, signal: AbortSignal): Promise<Params> {
    return this.#outbound.send(method, params, signal, (message) => this.writeLine(message, true));
  }

  close(): void {
    for (const link of this.#inflight.values()) link.cancel();
    this.#outbound.rejectAll('connection closed');
    this.#unsubscribe?.();
    if (this.#outgoing !== '') this.#flush();
  }

  #receive(chunk: string): void {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const piece = chunk.slice(start, newline);
      if (this.#discarding) {
        this.#discarding = false;
      } else {
        const line = this.#held.length === 0 ? piece : this.#held.join('') + piece;
        this.#held = [];
        this.#heldLength = 0;
        const trimmed = line.trim();
        if (trimmed !== '') this.#line(trimmed);
      }
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.#hold(start === 0 ? chunk : chunk.slice(start));
  }

  /**
   * Keeps part of a line until its newline arrives; joined once, so a long line costs linear time. Past the limit
   * the line is refused and the rest of it skipped. Counted in UTF-16 units: cheap, and enough to bound memory.
   */
  #hold(part: string): void {
    if (this.#discarding) return;
    this.#heldLength += part.length;
    if (this.#heldLength <= this.#options.maxMessageBytes) {
      this.#held.push(part);
      return;
    }
    this.#held = [];
    this.#heldLength = 0;
    this.#discarding = true;
    const limit = this.#options.maxMessageBytes;
    this.writeLine(encodeError(null, ErrorCode.InvalidRequest, `Invalid Request: message longer than ${limit} bytes`));
  }

  #line(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.writeLine(PARSE_ERROR_BODY);
      return;
    }
    if (Array.isArray(value)) {
      this.#batch(value);
      return;
    }
    const kind = classifyMessage(value);
    if (kind === 'invalid') {
      this.writeLine(
        encodeError(readableId(value), ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message'),
      );
    } else if (kind === 'response') {
      this.#outbound.settle(value as JsonRpcResponse);
    } else if (kind === 'notification') {
      this.#notification(value as JsonRpcNotification);
    } else {
      void this.#request(value as JsonRpcRequest).then((body) => {
        if (body !== undefined) this.writeLine(body);
        this.#settled();
      });
    }
  }

  /** A JSON-RPC batch: served for connections that negotiated 2025-03-26 or older, answered with one array line. */
  #batch(items: unknown[]): void {
    const members = readBatch(items, this.#slot.state?.protocolVersion);
    if (typeof members === 'string') {
      this.writeLine(encodeError(null, ErrorCode.InvalidRequest, members));
      return;
    }
    this.#batches++;
    void serveBatch(members, {
      request: (request) => this.#request(request),
      notification: (notification) => this.#notification(notification),
      response: (response) => void this.#outbound.settle(response),
    }).then((answers) => {
      const body = encodeBatch(answers);
      if (body !== undefined) this.writeLine(body);
      this.#batches--;
      this.#settled();
    });
  }

  /** An answer was written: if the client has left and nothing else runs, the connection may close. */
  #settled(): void {
    if (this.#idle) this.#drained?.();
  }

  /** Nothing is running that still owes the client an answer. */
  get #idle(): boolean {
    return this.#inflight.size === 0 && this.#batches === 0;
  }

  /** Serves one request; resolves with its response, or undefined when it was cancelled. */
  async #request(request: JsonRpcRequest): Promise<string | undefined> {
    const meta = request.params?._meta as Params | undefined;
    const modern = meta?.[META.protocolVersion] !== undefined;
    if (this.#inflight.has(request.id)) {
      // 2025-11-25 basic/index §Requests: a requestor MUST NOT reuse an id; the first request keeps it.
      const message = `Invalid Request: a request with id ${JSON.stringify(request.id)} is still in flight`;
      return encodeError(request.id, ErrorCode.InvalidRequest, message);
    }
    const link = new StdioLink(this, !modern && this.#slot.state !== undefined);
    this.#inflight.set(request.id, link);
    if (request.method === 'subscriptions/listen') this.#longLived.add(link);
    try {
      const reply = await this.#server.engine.handleRequest(request, {
        link,
        session: modern ? undefined : this.#slot,
        auth: this.#options.auth,
      });
      if (request.method === 'initialize' && this.#slot.state !== undefined) this.#listenForChanges();
      return link.cancelled ? undefined : reply.body;
    } finally {
      this.#inflight.delete(request.id);
      this.#longLived.delete(link);
    }
  }

  #notification(message: JsonRpcNotification): void {
    if (message.method === 'notifications/cancelled') {
      const id = message.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#inflight.get(id)?.cancel();
    } else if (message.method === 'notifications/initialized' && this.#slot.state !== undefined) {
      this.#slot.state.initialized = true;
    }
  }

  /** A 2025-era connection receives list changes and updates of subscribed resources unprompted. */
  #listenForChanges(): void {
    this.#unsubscribe ??= this.#server.core.bus.subscribe((event: ServerEvent) => {
      const notification = sessionNotification(event, this.#slot.state?.subscriptions);
      if (notification !== undefined) this.writeLine(notification);
    });
  }
}
