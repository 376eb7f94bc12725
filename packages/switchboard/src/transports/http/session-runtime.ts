import { randomBytes } from 'node:crypto';
import type { ConnectionOptions } from '../../protocol/connection.js';
import { Connection } from '../../protocol/connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { McpHost } from '../../protocol/host.js';
import { encodeError } from '../../protocol/jsonrpc.js';
import type { Params, RequestId } from '../../protocol/messages.js';
import type { SessionSlot } from '../../protocol/method-table.js';
import type { LegacySessionState } from '../../protocol/session.js';
import type { EventStore } from '../../stores/event-store.js';
import type { StreamWriter } from './exchange.js';
import type { ResumedStream } from './resumed-stream.js';
import { SseStream } from './sse.js';

/**
 * This process's live view of one 2025-era HTTP session: its SSE streams, and the connection that holds its
 * requests in flight and questions to the client. Collections are created on first use so an idle session stays
 * small.
 */
export class SessionRuntime implements SessionSlot {
  readonly id: string;
  state: LegacySessionState;
  /** Requests, cancellation, client notifications, questions and events: the layer every transport shares. */
  readonly connection: Connection;
  readonly #events: EventStore | undefined;
  /** SSE `retry` hint sent with priming events. */
  readonly retryMs: number | undefined;
  #live: Map<string, SseStream> | undefined;
  /** Connections on this instance that resumed one of the session's streams, by stream id. */
  #resumed: Map<string, ResumedStream> | undefined;
  standalone: SseStream | undefined;
  lastSeen = Date.now();

  constructor(
    host: McpHost,
    id: string,
    state: LegacySessionState,
    events: EventStore | undefined,
    retryMs: number | undefined,
    options: ConnectionOptions = {},
  ) {
    this.id = id;
    this.state = state;
    this.connection = new Connection(host, this, options);
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

  /**
   * A new resumable stream for a POST response, primed per 2025-11-25 when the client speaks that revision. With
   * the request's id, a store shared with other instances is told the error to give the client should this
   * process stop before answering.
   */
  openStream(writer: StreamWriter, requestId?: RequestId): SseStream {
    const stream = new SseStream(this.newStreamId(), writer, this.#events);
    if (this.#events !== undefined) {
      if (requestId !== undefined) stream.setWill(instanceStoppedError(requestId));
      if (this.state.protocolVersion >= '2025-11-25') stream.prime(this.retryMs);
      this.#live ??= new Map();
      const live = this.#live;
      live.set(stream.id, stream);
      stream.onEnd = () => live.delete(stream.id);
    }
    return stream;
  }

  /** The stream this instance writes that an event id (`<stream id>.<n>`, as the built-in stores issue) names. */
  heldStream(eventId: string): SseStream | undefined {
    const streamId = eventId.slice(0, Math.max(0, eventId.lastIndexOf('.')));
    return streamId === this.standalone?.id && !this.standalone.finished ? this.standalone : this.#live?.get(streamId);
  }

  /**
   * A connection here resumed `resumed.streamId`: it becomes the stream's only connection on this instance (the
   * holder's writer and any earlier resumed connection close). Other instances hear it as `stream/resumed`.
   */
  addResumed(resumed: ResumedStream): void {
    this.letGoOf(resumed.streamId);
    this.#resumed ??= new Map();
    this.#resumed.set(resumed.streamId, resumed);
  }

  /** The resumed connection closed by itself (the client left, or the stream ended). */
  removeResumed(resumed: ResumedStream): void {
    if (this.#resumed?.get(resumed.streamId) === resumed) this.#resumed.delete(resumed.streamId);
  }

  /** Closes this instance's connections to a stream that was resumed elsewhere; the stream itself goes on. */
  letGoOf(streamId: string): void {
    const stream = streamId === this.standalone?.id ? this.standalone : this.#live?.get(streamId);
    stream?.detach();
    const resumed = this.#resumed?.get(streamId);
    this.#resumed?.delete(streamId);
    resumed?.close();
  }

  /** Whether a connection here follows the stream (a resumed GET stream counts as the session's open one). */
  isResumedHere(streamId: string): boolean {
    return this.#resumed?.has(streamId) === true;
  }

  /** Asks the client on `stream` (the asking request's own SSE stream). */
  sendRequest(stream: SseStream, method: string, params: Params, signal: AbortSignal): Promise<Params> {
    return this.connection.ask(method, params, signal, (message) => stream.send(message));
  }

  get busy(): boolean {
    return this.connection.inflight > 0 || this.standalone?.connected === true || (this.#resumed?.size ?? 0) > 0;
  }

  /** Ends everything the session holds open (DELETE, expiry, shutdown). */
  close(): void {
    this.connection.close('session closed');
    for (const stream of this.#live?.values() ?? []) stream.end();
    this.standalone?.end();
    this.#live = undefined;
    for (const resumed of this.#resumed?.values() ?? []) resumed.close();
    this.#resumed = undefined;
  }
}

/** What a client hears for a request whose instance stopped (killed) before answering: nothing more will come. */
function instanceStoppedError(requestId: RequestId): string {
  return encodeError(
    requestId,
    ErrorCode.InternalError,
    'The server instance running this request stopped before answering; it may or may not have taken effect',
  );
}
