import type { EventStore, FollowResult } from '../../stores/event-store.js';
import type { HttpExchange, StreamWriter } from './exchange.js';
import { keepAlive } from './keep-alive.js';
import { SSE_HEADERS, sseEvent } from './sse.js';

/** A client connection that resumed a stream: it follows the stream in the event store until either ends. */
export interface ResumedStream {
  readonly streamId: string;
  /** Stops following and closes the connection (another connection resumed the stream, or the session closed). */
  close(): void;
}

/**
 * Resumes a stream with `Last-Event-ID` from the event store alone, so it works on any instance: the missed events,
 * then the live ones, whichever instance appends them, until the stream ends (2025-11-25 transports §Resumability).
 * `accept` decides, once the store has named the stream, whether this caller may have it; only then does the
 * response start. Undefined (nothing sent yet) for an unknown id or a stream the caller may not resume. `done` runs
 * once when the connection is over: the stream ended, the client left, or `close` was called.
 */
export async function resumeStream(
  store: EventStore & Required<Pick<EventStore, 'follow'>>,
  lastEventId: string,
  accept: (streamId: string) => boolean,
  exchange: HttpExchange,
  headers: Record<string, string>,
  done: (resumed: ResumedStream) => void,
): Promise<ResumedStream | undefined> {
  let writer: StreamWriter | undefined;
  let finish: (() => void) | undefined;
  /** Events handed over before the response started: the replay, and anything appended meanwhile. */
  const early: string[] = [];
  let ended = false;
  const followed: FollowResult = await store.follow(lastEventId, {
    event: (eventId, message) => {
      const event = sseEvent(message, eventId);
      if (writer === undefined) early.push(event);
      else writer.write(event);
    },
    end: () => {
      ended = true;
      finish?.();
    },
  });
  if (followed === undefined) return undefined;
  if (!accept(followed.streamId)) {
    followed.stop();
    return undefined;
  }
  const connection = exchange.stream(200, { ...SSE_HEADERS, ...headers });
  writer = connection;
  for (const event of early) connection.write(event);
  let over = false;
  const resumed: ResumedStream = { streamId: followed.streamId, close: () => finish?.() };
  finish = () => {
    if (over) return;
    over = true;
    followed.stop();
    connection.end();
    done(resumed);
  };
  if (ended) finish();
  else {
    keepAlive(connection);
    exchange.onClose(finish);
  }
  return resumed;
}
