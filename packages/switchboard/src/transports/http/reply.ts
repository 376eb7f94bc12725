import { CancellableLink } from '../../protocol/cancellable-link.js';
import type { Reply } from '../../protocol/engine.js';
import { encodeNotification } from '../../protocol/jsonrpc.js';
import type { Link } from '../../protocol/link.js';
import type { Params, RequestId } from '../../protocol/messages.js';
import { ClientRequestError } from '../../protocol/outbound-requests.js';
import type { HttpExchange } from './exchange.js';
import { noteDispatched } from './refusals.js';
import { NO_HEADERS } from './responses.js';
import type { SessionRuntime } from './session-runtime.js';
import { SSE_HEADERS, SseStream } from './sse.js';

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' }) as Record<string, string>;

/**
 * The answer to one POSTed request. It stays a plain JSON response unless the handler sends something first
 * (progress, a log message, a server-to-client request): then it turns into an SSE stream scoped to the request.
 */
export class HttpReply extends CancellableLink implements Link {
  readonly #exchange: HttpExchange;
  readonly #headers: Record<string, string>;
  /** 2025-era session this request belongs to; undefined for stateless requests. */
  readonly #session: SessionRuntime | undefined;
  /** 2026-07-28: closing the stream is cancellation; in 2025 it is not (the stream may be resumed). */
  readonly #disconnectCancels: boolean;
  #stream: SseStream | undefined;
  /** The 2025-era request this answers, named in the error a client gets should this process stop first. */
  readonly #requestId: RequestId | undefined;
  /** Set once the final response (or, for a cancelled request, the end of the reply) has gone out. */
  #answered = false;

  constructor(
    exchange: HttpExchange,
    headers: Record<string, string>,
    session: SessionRuntime | undefined,
    disconnectCancels: boolean,
    requestId?: RequestId,
  ) {
    super();
    this.#requestId = requestId;
    noteDispatched(exchange);
    this.#exchange = exchange;
    this.#headers = headers;
    this.#session = session;
    this.#disconnectCancels = disconnectCancels;
  }

  protected override watchForCancellation(): void {
    if (!this.#disconnectCancels) return;
    if (this.#exchange.closed) this.cancel();
    else this.#exchange.onClose(() => this.cancel());
  }

  header(name: string): string | undefined {
    return this.#exchange.header(name);
  }

  /** A message after the response (a stray timer in a handler) is dropped: the HTTP response is already complete. */
  notify(method: string, params: Params): void {
    if (this.cancelled || this.#answered) return;
    this.#ensureStream().send(encodeNotification(method, params));
  }

  get request(): Link['request'] {
    const session = this.#session;
    if (session === undefined) return undefined;
    return (method, params, signal) => {
      if (this.cancelled || this.#answered) {
        const state = this.#answered ? 'answered' : 'cancelled';
        return Promise.reject(new ClientRequestError(`${method} was not sent: the request was already ${state}`));
      }
      return session.sendRequest(this.#ensureStream(), method, params, signal);
    };
  }

  /** Writes the final response: on the stream if one was opened, else as one JSON body. Only the first call counts. */
  finish(reply: Reply, extraHeaders?: Record<string, string>): void {
    if (this.#answered) return;
    this.#answered = true;
    if (this.cancelled) {
      // Cancelled requests get no response (2025-11-25 basic/utilities/cancellation: SHOULD NOT; 2026-07-28: MUST
      // NOT send further messages). Yet a POSTed request MUST be answered with JSON or SSE (transports §Sending
      // Messages), so a reply still in JSON mode becomes an SSE stream that ends at once: no event, no event id to
      // resume from. (A 204 made SDK v1 clients raise "Unexpected content type".) A stream whose events carry ids
      // stays open until the client leaves or the session ends, as the official SDK servers leave it: ended without
      // a response, it would be resumed by the client again and again.
      if (this.#stream !== undefined) {
        // No error for a cancelled request either, should this process stop (2025-11-25: SHOULD NOT respond).
        this.#stream.setWill(undefined);
        if (!this.#stream.resumable) this.#stream.end();
      } else if (!this.#exchange.closed) this.#exchange.stream(200, { ...SSE_HEADERS, ...this.#headers }).end();
      return;
    }
    if (this.#stream !== undefined) {
      this.#stream.answer(reply.body);
      return;
    }
    // The common case (no CORS, no session header) shares one frozen header object.
    const headers =
      extraHeaders === undefined && reply.headers === undefined && this.#headers === NO_HEADERS
        ? JSON_HEADERS
        : { ...JSON_HEADERS, ...this.#headers, ...reply.headers, ...extraHeaders };
    this.#exchange.send(reply.status, headers, reply.body);
  }

  #ensureStream(): SseStream {
    if (this.#stream === undefined) {
      const writer = this.#exchange.stream(200, { ...SSE_HEADERS, ...this.#headers });
      this.#stream = this.#session?.openStream(writer, this.#requestId) ?? new SseStream('', writer, undefined);
      if (this.#disconnectCancels) this.signal;
    }
    return this.#stream;
  }
}
