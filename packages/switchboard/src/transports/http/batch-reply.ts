import { encodeBatch } from '../../protocol/batch.js';
import { CancellableLink } from '../../protocol/cancellable-link.js';
import { encodeNotification } from '../../protocol/jsonrpc.js';
import type { Link } from '../../protocol/link.js';
import type { Params } from '../../protocol/messages.js';
import { ClientRequestError } from '../../protocol/outbound-requests.js';
import type { HttpExchange } from './exchange.js';
import { noteDispatched } from './refusals.js';
import type { SessionRuntime } from './session-runtime.js';
import type { SseStream } from './sse.js';
import { SSE_HEADERS } from './sse.js';

/**
 * The answer to one POSTed JSON-RPC batch (2025-03-26 transports §Sending Messages): one JSON array of responses,
 * unless a member sends something before the batch is done (progress, a log message, a question to the client);
 * then an SSE stream carries each response as its own event.
 */
export class BatchReply {
  readonly #exchange: HttpExchange;
  readonly #headers: Record<string, string>;
  readonly session: SessionRuntime;
  #stream: SseStream | undefined;
  /** Answers that were ready before a stream opened; the stream starts with them. */
  #early: string[] = [];
  #done = false;

  constructor(exchange: HttpExchange, headers: Record<string, string>, session: SessionRuntime) {
    noteDispatched(exchange);
    this.#exchange = exchange;
    this.#headers = headers;
    this.session = session;
  }

  /** The link of one member request. */
  member(): BatchMemberLink {
    return new BatchMemberLink(this);
  }

  /** The batch's stream, opened on first use; undefined once the batch was answered. */
  stream(): SseStream | undefined {
    if (this.#done) return undefined;
    if (this.#stream === undefined) {
      this.#stream = this.session.openStream(this.#exchange.stream(200, { ...SSE_HEADERS, ...this.#headers }));
      for (const answer of this.#early) this.#stream.send(answer);
      this.#early = [];
    }
    return this.#stream;
  }

  /** One member's response (or error), as soon as it is ready. */
  answer(body: string): void {
    if (this.#stream !== undefined) this.#stream.send(body);
    else this.#early.push(body);
  }

  /** Every member is done; `answers` holds their responses in batch order. */
  finish(answers: readonly string[]): void {
    this.#done = true;
    const body = encodeBatch(answers);
    if (this.#stream !== undefined) this.#stream.end();
    else if (body !== undefined)
      this.#exchange.send(200, { 'content-type': 'application/json', ...this.#headers }, body);
    // Every request was cancelled: as for a single one, a stream with nothing on it.
    else if (!this.#exchange.closed) this.#exchange.stream(200, { ...SSE_HEADERS, ...this.#headers }).end();
  }
}

/** The `Link` of one request in a batch: its own cancellation, the batch's way back to the client. */
export class BatchMemberLink extends CancellableLink implements Link {
  readonly #batch: BatchReply;
  #answered = false;

  constructor(batch: BatchReply) {
    super();
    this.#batch = batch;
  }

  notify(method: string, params: Params): void {
    if (this.cancelled || this.#answered) return;
    this.#batch.stream()?.send(encodeNotification(method, params));
  }

  get request(): Link['request'] {
    return (method, params, signal) => {
      const stream = this.cancelled || this.#answered ? undefined : this.#batch.stream();
      if (stream === undefined) {
        return Promise.reject(new ClientRequestError(`${method} was not sent: the request was already answered`));
      }
      return this.#batch.session.sendRequest(stream, method, params, signal);
    };
  }

  /** The member's response as it goes out; undefined when it was cancelled (no response is sent). */
  finish(body: string): string | undefined {
    this.#answered = true;
    return this.cancelled ? undefined : body;
  }
}
