/**
 * Keeps the SSE events of 2025-era streams so a client that lost its connection can resume with `Last-Event-ID`
 * (2025-11-25 basic/transports §Resumability and Redelivery). Event ids name their stream, so a resume replays
 * only the stream that was cut.
 */
export interface EventStore {
  /**
   * Stores one message (JSON text; '' marks a priming event) and returns its event id. `answers` is true for the
   * response to the stream's request: its will (see `will`) is no longer due.
   */
  append(streamId: string, message: string, answers?: boolean): string | Promise<string>;
  /**
   * Calls `send` for every message after `lastEventId` on its stream, in order, and returns that stream's id;
   * undefined when the id is unknown or expired, or when messages after it are no longer kept.
   */
  replayAfter(
    lastEventId: string,
    send: (eventId: string, message: string) => void,
  ): string | undefined | Promise<string | undefined>;
  /** Drops the events of every stream whose id starts with the prefix (a session ended). */
  forget?(streamIdPrefix: string): void | Promise<void>;
  /** What the store holds right now, for the metrics gauges; read at scrape time, never on the request path. */
  size?(): EventStoreSize | Promise<EventStoreSize>;
  /** Records that a stream is complete (its response went out), so whoever follows it stops there. */
  end?(streamId: string): void | Promise<void>;
  /**
   * What the stream's followers get if the process writing it stops without ending it (killed): a store shared by
   * several processes that finds the writer gone appends `message` (the error answering the stream's request), then
   * ends the stream, so every follower and every later resume ends at once instead of waiting for the stream to
   * expire. Undefined withdraws it; an `append` that `answers` withdraws it too. A store that lives in the writer's
   * own process never outlives it and needs none.
   */
  will?(streamId: string, message: string | undefined): void | Promise<void>;
  /** Lets go of what the store holds open (connections, timers); the shared stores call it when they close. */
  close?(): void | Promise<void>;
  /**
   * Replays like `replayAfter`, then keeps handing the stream's later events to `follower` as they are appended,
   * wherever they are appended from, until the stream ends (`end`), is dropped or expires (then `follower.end`
   * runs), or the returned function is called. No event is skipped or handed over twice between replay and live.
   * Undefined, as from `replayAfter`, for an unknown or expired id. Replayed events reach the follower before this
   * settles.
   */
  follow?(lastEventId: string, follower: StreamFollower): FollowResult | Promise<FollowResult>;
}

/** The size of an event store: what it counts against its byte bound, and the streams it keeps. */
export interface EventStoreSize {
  readonly bytes: number;
  readonly streams: number;
}

/** Receives the events of a followed stream (see `EventStore.follow`). */
export interface StreamFollower {
  event(eventId: string, message: string): void;
  /** The stream ended, expired or was dropped: nothing more will come. */
  end(): void;
}

/** The followed stream's id and the function that stops following it, or undefined for an unknown id. */
export type FollowResult = { streamId: string; stop: () => void } | undefined;

export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first (default 1000). */
  maxEventsPerStream?: number;
  /** A stream is forgotten this long after its last event or resume (default 5 minutes). */
  streamTtlMs?: number;
  /**
   * Total size of everything kept, across all streams (default 64 MiB), counted as the length of each message's
   * JSON text plus a small fixed cost per event and per stream. Past it, the streams least recently written or
   * resumed lose their oldest events first, then are dropped.
   */
  maxBytes?: number;
  /**
   * Size one session's streams may take together (default 8 MiB), counted the same way; a stream's session is the
   * part of its id before the first `~`. Past it, that session's own least recently used streams lose their oldest
   * events first, so one session cannot crowd out the others' events.
   */
  maxBytesPerSession?: number;
}

/** Rough bookkeeping cost of one event and one stream beyond the message text. */
const EVENT_COST = 64;
const STREAM_COST = 256;

interface StoredStream {
  events: { seq: number; message: string }[];
  /**
   * Events up to this sequence number are gone (dropped, or older than this record). A resume from before it would
   * skip messages, so it is refused like an unknown id.
   */
  floor: number;
  touched: number;
  bytes: number;
  /** The session the stream belongs to (its id up to the first `~`). */
  session: string;
  /** Set by `end`: the stream's response went out. */
  ended?: true;
  /** Resumed connections following the stream live; created on first `follow`. */
  followers?: Set<StreamFollower>;
}

/**
 * The default event store: bounded in events per stream, in age and in total size, in this process. One sequence
 * counter serves every stream, so an event id is never issued twice, even for a stream dropped and written again.
 */
export class MemoryEventStore implements EventStore {
  /** Least recently written or resumed first: the order of eviction and expiry. */
  readonly #streams = new Map<string, StoredStream>();
  readonly #maxEvents: number;
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #maxSessionBytes: number;
  /** Bytes counted per session, for `maxBytesPerSession`. */
  readonly #sessionBytes = new Map<string, number>();
  #seq = 0;
  #bytes = 0;
  #lastSweep = Date.now();

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#ttlMs = options.streamTtlMs ?? 300_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#maxSessionBytes = options.maxBytesPerSession ?? 8 * 1024 * 1024;
  }

  /** The size counted against `maxBytes` right now. */
  get bytes(): number {
    return this.#bytes;
  }

  size(): EventStoreSize {
    return { bytes: this.#bytes, streams: this.#streams.size };
  }

  append(streamId: string, message: string): string {
    const now = Date.now();
    this.#sweep(now);
    let stream = this.#streams.get(streamId);
    if (stream === undefined) {
      const tilde = streamId.indexOf('~');
      const session = tilde === -1 ? streamId : streamId.slice(0, tilde);
      stream = { events: [], floor: this.#seq, touched: now, bytes: 0, session };
      this.#count(stream, STREAM_COST + streamId.length);
    }
    this.#use(streamId, stream, now);
    const seq = ++this.#seq;
    stream.events.push({ seq, message });
    this.#count(stream, EVENT_COST + message.length);
    if (stream.followers !== undefined && message !== '')
      for (const follower of stream.followers) follower.event(`${streamId}.${seq}`, message);
    if (stream.events.length > this.#maxEvents) this.#drop(stream, 1);
    if ((this.#sessionBytes.get(stream.session) ?? 0) > this.#maxSessionBytes) this.#evictSession(stream.session);
    if (this.#bytes > this.#maxBytes) this.#evict();
    return `${streamId}.${seq}`;
  }

  replayAfter(lastEventId: string, send: (eventId: string, message: string) => void): string | undefined {
    return this.#replay(lastEventId, send)?.[0];
  }

  /** In one process appends and replays never interleave, so the follower joins right after its replay. */
  follow(lastEventId: string, follower: StreamFollower): FollowResult {
    const found = this.#replay(lastEventId, (id, message) => follower.event(id, message));
    if (found === undefined) return undefined;
    const [streamId, stream] = found;
    if (stream.ended) {
      follower.end();
      return { streamId, stop: () => {} };
    }
    stream.followers ??= new Set();
    const followers = stream.followers;
    followers.add(follower);
    return { streamId, stop: () => void followers.delete(follower) };
  }

  end(streamId: string): void {
    const stream = this.#streams.get(streamId);
    if (stream === undefined) return;
    stream.ended = true;
    this.#release(stream);
  }

  #replay(lastEventId: string, send: (eventId: string, message: string) => void): [string, StoredStream] | undefined {
    const dot = lastEventId.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const streamId = lastEventId.slice(0, dot);
    const after = Number(lastEventId.slice(dot + 1));
    const stream = this.#streams.get(streamId);
    // An id whose successors were dropped is as unknown as one never issued: replaying around the gap would lose
    // messages (a response among them) without the client knowing.
    if (stream === undefined || !Number.isInteger(after) || after < stream.floor || after > this.#seq) return undefined;
    for (const event of stream.events) {
      if (event.seq > after && event.message !== '') send(`${streamId}.${event.seq}`, event.message);
    }
    this.#use(streamId, stream, Date.now());
    return [streamId, stream];
  }

  /** Tells a stream's followers that nothing more will come. */
  #release(stream: StoredStream): void {
    const followers = stream.followers;
    stream.followers = undefined;
    for (const follower of followers ?? []) follower.end();
  }

  /** Forgets the events of every stream whose id starts with the prefix (when its session ends). */
  forget(streamIdPrefix: string): void {
    for (const [id, stream] of this.#streams) {
      if (!id.startsWith(streamIdPrefix)) continue;
      this.#remove(id, stream);
    }
  }

  /** Moves a stream to the most recently used end. */
  #use(streamId: string, stream: StoredStream, now: number): void {
    stream.touched = now;
    this.#streams.delete(streamId);
    this.#streams.set(streamId, stream);
  }

  #count(stream: StoredStream, bytes: number): void {
    stream.bytes += bytes;
    this.#bytes += bytes;
    const left = (this.#sessionBytes.get(stream.session) ?? 0) + bytes;
    if (left <= 0) this.#sessionBytes.delete(stream.session);
    else this.#sessionBytes.set(stream.session, left);
  }

  #remove(id: string, stream: StoredStream): void {
    this.#release(stream);
    this.#streams.delete(id);
    this.#count(stream, -stream.bytes);
  }

  /** One session over its share: its own least recently used streams lose their oldest events, then go. */
  #evictSession(session: string): void {
    for (const [id, stream] of this.#streams) {
      if (stream.session !== session) continue;
      const over = () => (this.#sessionBytes.get(session) ?? 0) > this.#maxSessionBytes;
      let n = 0;
      let excess = (this.#sessionBytes.get(session) ?? 0) - this.#maxSessionBytes;
      while (n < stream.events.length && excess > 0) {
        excess -= EVENT_COST + (stream.events[n]?.message.length ?? 0);
        n++;
      }
      if (n > 0) this.#drop(stream, n);
      if (!over()) return;
      this.#remove(id, stream);
      if (!over()) return;
    }
  }

  /** Drops a stream's `n` oldest events. */
  #drop(stream: StoredStream, n: number): void {
    const dropped = stream.events.splice(0, n);
    for (const event of dropped) this.#count(stream, -(EVENT_COST + event.message.length));
    stream.floor = dropped.at(-1)?.seq ?? stream.floor;
  }

  /** Over `maxBytes`: oldest events of the least recently used streams go first, then those streams themselves. */
  #evict(): void {
    for (const [id, stream] of this.#streams) {
      let n = 0;
      let excess = this.#bytes - this.#maxBytes;
      while (n < stream.events.length && excess > 0) {
        excess -= EVENT_COST + (stream.events[n]?.message.length ?? 0);
        n++;
      }
      if (n > 0) this.#drop(stream, n);
      if (this.#bytes <= this.#maxBytes) return;
      this.#remove(id, stream);
      if (this.#bytes <= this.#maxBytes) return;
    }
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#ttlMs / 4) return;
    this.#lastSweep = now;
    for (const [id, stream] of this.#streams) {
      if (now - stream.touched <= this.#ttlMs) return;
      this.#remove(id, stream);
    }
  }
}
