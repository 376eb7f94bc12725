import { ErrorCode } from '../../protocol/errors.js';
import type { EventStore } from '../../stores/event-store.js';
import type { HttpExchange } from './exchange.js';
import { sendError } from './responses.js';
import { resumeStream } from './resumed-stream.js';
import type { SessionRuntime } from './session-runtime.js';
import type { SessionManager } from './sessions.js';
import { SSE_HEADERS, sseEvent } from './sse.js';

/**
 * A `Last-Event-ID` resume (2025-11-25 transports §Resumability). A stream this instance writes moves onto the new
 * connection. Any other is followed in the event store, so it needs nothing of the instance that writes it: the
 * missed events, then the live ones, until the stream ends. Either way the connection the stream had until now
 * (here or on another instance) is closed: a stream is resumed on one connection.
 */
export async function resume(
  exchange: HttpExchange,
  runtime: SessionRuntime,
  events: EventStore,
  sessions: SessionManager | undefined,
  lastEventId: string,
  headers: Record<string, string>,
): Promise<void> {
  const held = runtime.heldStream(lastEventId);
  if (held !== undefined) {
    runtime.letGoOf(held.id);
    const resumed = await held.resume(lastEventId, () => exchange.stream(200, { ...SSE_HEADERS, ...headers }));
    if (!resumed) return unknownLastEventId(exchange, headers);
    sessions?.announceResumed(runtime.id, held.id);
    return;
  }
  if (events.follow === undefined) return replayOnly(exchange, runtime, events, lastEventId, headers);
  const resumed = await resumeStream(
    events as EventStore & Required<Pick<EventStore, 'follow'>>,
    lastEventId,
    // 2025-11-25 transports §Resumability: never replay another stream's (or session's) messages.
    (streamId) => runtime.ownsStream(streamId),
    exchange,
    headers,
    (over) => runtime.removeResumed(over),
  );
  if (resumed === undefined) return unknownLastEventId(exchange, headers);
  runtime.addResumed(resumed);
  sessions?.announceResumed(runtime.id, resumed.streamId);
}

/** An event store without `follow`, and a stream this instance does not write: the missed events only. */
async function replayOnly(
  exchange: HttpExchange,
  runtime: SessionRuntime,
  events: EventStore,
  lastEventId: string,
  headers: Record<string, string>,
): Promise<void> {
  const missed: string[] = [];
  const streamId = await events.replayAfter(lastEventId, (eventId, message) => missed.push(sseEvent(message, eventId)));
  if (streamId === undefined || !runtime.ownsStream(streamId)) return unknownLastEventId(exchange, headers);
  const writer = exchange.stream(200, { ...SSE_HEADERS, ...headers });
  for (const event of missed) writer.write(event);
  writer.end();
}

function unknownLastEventId(exchange: HttpExchange, headers: Record<string, string>): void {
  sendError(exchange, 404, headers, ErrorCode.InvalidRequest, 'Unknown or expired Last-Event-ID for this session');
}
