/**
 * Keeps the SSE events of 2025-era streams so a client that lost its connection can resume with `Last-Event-ID`
 * (2025-11-25 basic/transports §Resumability and Redelivery). Event ids name their stream, so a resume replays
 * only the stream that was cut.
 */
export interface EventStore {
  /** Stores one message (JSON text; '' marks a priming event) and returns its event id. */
  append(streamId: string, message: string): string | Promise<string>;
  /**
   * Calls `send` for every message after `lastEventId` on its stream, in order, and returns that stream's id;
   * undefined when the id is unknown or expired.
   */
  replayAfter(
    lastEventId: string,
    send: (eventId: string, message: string) => void,
  ): string | undefined | Promise<string | undefined>;
  /** Drops the events of every stream whose id starts with the prefix (a session ended). */
  forget?(streamIdPrefix: string): void | Promise<void>;
}

export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first (default 1000). */
  maxEventsPerStream?: number;
  /** A stream is forgotten this long after its last event (default 5 minutes). */
  streamTtlMs?: number;
}

interface StoredStream {
  events: { seq: number; message: string }[];
  nextSeq: number;
  touched: number;
}

/** The default event store: bounded, in this process. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, StoredStream>();
  readonly #maxEvents: number;
  readonly #ttlMs: number;
  #lastSweep = Date.now();

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#ttlMs = options.streamTtlMs ?? 300_000;
  }

  append(streamId: string, message: string): string {
    const now = Date.now();
    this.#sweep(now);
    let stream = this.#streams.get(streamId);
    if (stream === undefined) {
      stream = { events: [], nextSeq: 1, touched: now };
      this.#streams.set(streamId, stream);
    }
    const seq = stream.nextSeq++;
    stream.events.push({ seq, message });
    if (stream.events.length > this.#maxEvents) stream.events.shift();
    stream.touched = now;
    return `${streamId}.${seq}`;
  }

  replayAfter(lastEventId: string, send: (eventId: string, message: string) => void): string | undefined {
    const dot = lastEventId.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const streamId = lastEventId.slice(0, dot);
    const after = Number(lastEventId.slice(dot + 1));
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !Number.isInteger(after)) return undefined;
    for (const event of stream.events) {
      if (event.seq > after && event.message !== '') send(`${streamId}.${event.seq}`, event.message);
    }
    stream.touched = Date.now();
    return streamId;
  }

  /** Forgets a stream's events (when its session ends). */
  forget(streamIdPrefix: string): void {
    for (const id of this.#streams.keys()) if (id.startsWith(streamIdPrefix)) this.#streams.delete(id);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#ttlMs / 4) return;
    this.#lastSweep = now;
    for (const [id, stream] of this.#streams) if (now - stream.touched > this.#ttlMs) this.#streams.delete(id);
  }
}
