import { randomBytes } from 'node:crypto';
import type { JsonRpcResponse, Params, RequestId } from '../../protocol/messages.js';
import type { SessionSlot } from '../../protocol/method-table.js';
import { OutboundRequests } from '../../protocol/outbound-requests.js';
import type { LegacySessionState } from '../../protocol/session.js';
import type { EventStore } from '../../stores/event-store.js';
import type { StreamWriter } from './exchange.js';
import { SseStream } from './sse.js';

/** What a `notifications/cancelled` reaches: the reply of a single request or a batch member's link. */
export interface Cancellable {
  cancel(): void;
}

/**
 * This process's live view of one 2025-era HTTP session: its streams, in-flight requests and outstanding
 * server-to-client requests. Collections are created on first use so an idle session stays a few hundred bytes.
 */
export class SessionRuntime implements SessionSlot {
  readonly id: string;
  state: LegacySessionState;
  readonly #events: EventStore | undefined;
  /** SSE `retry` hint sent with priming events. */
  readonly retryMs: number | undefined;
  #inflight: Map<RequestId, Cancellable> | undefined;
  #outbound: OutboundRequests | undefined;
  #live: Map<string, SseStream> | undefined;
  standalone: SseStream | undefined;
  unsubscribe: (() => void) | undefined;
  lastSeen = Date.now();

  constructor(id: string, state: LegacySessionState, events: EventStore | undefined, retryMs: number | undefined) {
    this.id = id;
    this.state = state;
    this.#events = events;
    this.retryMs = retryMs;
  }

  /** Event ids carry their stream id, and stream ids carry the session id, so a resume cannot cross sessions. */
  ownsStream(streamId: string): boolean {
    return streamId.startsWith(`${this.id}~`);
  }

  /**
   * A fresh stream id: the session id, then a random part. A counter would start over whenever a runtime is rebuilt
   * (idle eviction, another instance sharing the stores), and a repeated id would merge two streams in the event
   * store. 2025-11-25 transports §Resumability: event ids MUST be unique across all streams of the session, and
   * the server MUST NOT replay messages that would have been delivered on a different stream.
   */
  newStreamId(): string {
    return `${this.id}~${randomBytes(9).toString('base64url')}`;
  }

  /** A new resumable stream for a POST response, primed per 2025-11-25 when the client speaks that revision. */
  openStream(writer: StreamWriter): SseStream {
    const stream = new SseStream(this.newStreamId(), writer, this.#events);
    if (this.#events !== undefined) {
      if (this.state.protocolVersion >= '2025-11-25') stream.prime(this.retryMs);
      this.#live ??= new Map();
      const live = this.#live;
      live.set(stream.id, stream);
      stream.onEnd = () => live.delete(stream.id);
    }
    return stream;
  }

  /** The running stream with this id, for a `Last-Event-ID` resume. */
  liveStream(streamId: string): SseStream | undefined {
    return this.#live?.get(streamId);
  }

  track(id: RequestId, reply: Cancellable): void {
    this.#inflight ??= new Map();
    this.#inflight.set(id, reply);
  }

  untrack(id: RequestId): void {
    this.#inflight?.delete(id);
  }

  /** `notifications/cancelled`: unknown or finished ids are ignored, as the spec allows. */
  cancel(id: RequestId): void {
    this.#inflight?.get(id)?.cancel();
  }

  sendRequest(stream: SseStream, method: string, params: Params, signal: AbortSignal): Promise<Params> {
    this.#outbound ??= new OutboundRequests();
    return this.#outbound.send(method, params, signal, (message) => stream.send(message));
  }

  /** Routes a client's response to the server request waiting for it; false when nothing waits for that id. */
  settle(response: JsonRpcResponse): boolean {
    return this.#outbound?.settle(response) ?? false;
  }

  get busy(): boolean {
    return (this.#inflight?.size ?? 0) > 0 || this.standalone?.connected === true;
  }

  /** Ends everything the session holds open (DELETE, expiry, shutdown). */
  close(): void {
    for (const reply of this.#inflight?.values() ?? []) reply.cancel();
    this.#outbound?.rejectAll('session closed');
    for (const stream of this.#live?.values() ?? []) stream.end();
    this.standalone?.end();
    this.unsubscribe?.();
    this.#inflight = this.#live = undefined;
    this.#outbound = undefined;
  }
}
