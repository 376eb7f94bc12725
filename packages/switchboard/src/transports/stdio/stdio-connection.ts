import type { Readable, Writable } from 'node:stream';
import type { AuthInfo } from '../../protocol/auth.js';
import { encodeBatch, readBatch, serveBatch } from '../../protocol/batch.js';
import { Connection, isModernRequest } from '../../protocol/connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { McpHost } from '../../protocol/host.js';
import {
  classifyMessage,
  encodeError,
  PARSE_ERROR_BODY,
  parseMessageText,
  readableId,
} from '../../protocol/jsonrpc.js';
import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, Params } from '../../protocol/messages.js';
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

/** The stdio transport of one connection: frames lines, writes with backpressure, drains on close. */
export class StdioConnection implements LineWriter {
  readonly #connection: Connection;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #options: StdioConnectionOptions;
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
  readonly closed: Promise<void>;

  constructor(host: McpHost, input: Readable, output: Writable, options: StdioConnectionOptions) {
    this.#connection = new Connection(host, { id: undefined, state: undefined });
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
    this.#connection.rejectQuestions('the client closed the connection');
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
    return this.#connection.ask(method, params, signal, (message) => this.writeLine(message, true));
  }

  close(): void {
    this.#connection.close();
    if (this.#outgoing !== '') this.#flush();
  }

  #receive(chunk: string): void {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const piece = chunk.slice(start, newline);
      if (this.#discarding) {
        this.#discarding = false;
      } else if (this.#heldLength + Buffer.byteLength(piece) > this.#options.maxMessageBytes) {
        // The limit is on the whole line, however its bytes were split into chunks.
        this.#refuseLine();
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
   * (in UTF-8 bytes, as the line accumulates) the line is refused and the rest of it skipped.
   */
  #hold(part: string): void {
    if (this.#discarding) return;
    this.#heldLength += Buffer.byteLength(part);
    if (this.#heldLength <= this.#options.maxMessageBytes) {
      this.#held.push(part);
      return;
    }
    this.#refuseLine();
    this.#discarding = true;
  }

  #refuseLine(): void {
    this.#held = [];
    this.#heldLength = 0;
    const limit = this.#options.maxMessageBytes;
    this.writeLine(encodeError(null, ErrorCode.InvalidRequest, `Invalid Request: message longer than ${limit} bytes`));
  }

  #line(line: string): void {
    let value: unknown;
    try {
      value = parseMessageText(line);
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
      this.#connection.response(value as JsonRpcResponse);
    } else if (kind === 'notification') {
      void this.#connection.notification(value as JsonRpcNotification, this.#options.auth);
    } else {
      void this.#request(value as JsonRpcRequest).then((body) => {
        if (body !== undefined) this.writeLine(body);
        this.#settled();
      });
    }
  }

  /** A JSON-RPC batch: served for connections that negotiated 2025-03-26 or older, answered with one array line. */
  #batch(items: unknown[]): void {
    const members = readBatch(items, this.#connection.slot.state?.protocolVersion);
    if (typeof members === 'string') {
      this.writeLine(encodeError(null, ErrorCode.InvalidRequest, members));
      return;
    }
    this.#batches++;
    void serveBatch(members, {
      request: (request) => this.#request(request),
      notification: (notification) => this.#connection.notification(notification, this.#options.auth),
      response: (response) => void this.#connection.response(response),
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
    return this.#connection.inflight === 0 && this.#batches === 0;
  }

  /** Serves one request; resolves with its response, or undefined when it was cancelled. */
  async #request(request: JsonRpcRequest): Promise<string | undefined> {
    const connection = this.#connection;
    const link = new StdioLink(this, !isModernRequest(request) && connection.slot.state !== undefined);
    if (request.method === 'subscriptions/listen') this.#longLived.add(link);
    try {
      const reply = await connection.request(request, link, this.#options.auth);
      // A 2025-era connection receives list changes and updates of subscribed resources unprompted.
      if (request.method === 'initialize' && connection.slot.state !== undefined) {
        await connection.listen((notification) => this.writeLine(notification));
      }
      return link.cancelled ? undefined : reply.body;
    } finally {
      this.#longLived.delete(link);
    }
  }
}
