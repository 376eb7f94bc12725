import type { Redis } from 'ioredis';
import type { EventStore, EventStoreSize, FollowResult, StreamFollower } from '../event-store.js';
import type { EntryId } from './entry-id.js';
import { compare, formatEntryId, parseEntryId } from './entry-id.js';
import { APPEND, CHECK, EVENT_COST, FORGET, SIZE, SIZE_SWEEP_LIMIT } from './event-scripts.js';
import { InstanceLease } from './instance-lease.js';
import type { StreamSubscription } from './stream-reader.js';
import { SharedStreamReader } from './stream-reader.js';

export interface RedisEventStoreOptions {
  /** Key prefix shared by every instance of one server (default `switchboard:`). */
  prefix?: string;
  /** Events kept per stream; older ones are dropped first (default 1000). */
  maxEventsPerStream?: number;
  /** A stream is forgotten this long after its last event (default 5 minutes). */
  streamTtlMs?: number;
  /**
   * Total size of every stream's messages (default 64 MiB), counted as in the memory store (message bytes plus a
   * fixed cost per event). Past it, the streams least recently written are dropped whole.
   */
  maxBytes?: number;
  /**
   * How often the streams this process follows are checked (default 5 s): a stream that expired or was forgotten
   * ends its follows, and so does one whose writer's lease ran out (`instanceLeaseMs`).
   */
  followCheckMs?: number;
  /**
   * How long this process's liveness lease in Redis outlives its last refresh (default 15 s; refreshed three times
   * per lease). A stream whose writing instance stopped (killed, or cut off from Redis) is ended for its followers
   * at the first check after its lease ran out, with an error answering its request.
   */
  instanceLeaseMs?: number;
  /** `CLIENT LIST` name of the one connection that reads every followed stream (default `switchboard-follow`). */
  readerName?: string;
}

/**
 * SSE events of 2025-era streams in Redis Streams, so a client cut off from one instance resumes with
 * `Last-Event-ID` on any other and gets exactly the events it missed (2025-11-25 basic/transports §Resumability).
 * An event id is the stream id, a dot, and the Redis entry id. A resume whose following events were dropped (by a
 * bound) is refused like an unknown id, never replayed around the gap.
 */
export class RedisEventStore implements EventStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #maxEvents: number;
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #lease: InstanceLease;
  readonly #reader: SharedStreamReader;

  constructor(redis: Redis, options: RedisEventStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'switchboard:';
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#ttlMs = options.streamTtlMs ?? 300_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#lease = new InstanceLease(
      redis,
      this.#prefix,
      positiveMs('instanceLeaseMs', options.instanceLeaseMs, 15_000),
    );
    this.#reader = new SharedStreamReader(redis, {
      prefix: this.#prefix,
      connectionName: options.readerName ?? 'switchboard-follow',
      checkMs: positiveMs('followCheckMs', options.followCheckMs, 5_000),
      check: (keys) => this.#check(keys),
    });
  }

  /** This process's id among the instances sharing the prefix: the writer recorded with the streams it writes. */
  get instanceId(): string {
    return this.#lease.id;
  }

  /** Streams this process follows right now, all read on one connection. */
  get followedStreams(): number {
    return this.#reader.streams;
  }

  async append(streamId: string, message: string, answers = false): Promise<string> {
    return this.#append(streamId, message, 'm', answers);
  }

  /** The end is an entry of its own (field `e`), so a follower on any instance reads it in order with the events. */
  async end(streamId: string): Promise<void> {
    await this.#append(streamId, '', 'e', false);
  }

  /** Kept beside the stream until it ends or a message answers its request; `CHECK` appends it if the writer dies. */
  async will(streamId: string, message: string | undefined): Promise<void> {
    this.#lease.hold();
    if (message === undefined) await this.#redis.hdel(this.#willsKey(), streamId);
    else await this.#redis.hset(this.#willsKey(), streamId, message);
  }

  async #append(streamId: string, message: string, field: 'm' | 'e', answers: boolean): Promise<string> {
    this.#lease.hold();
    const keys = [
      this.#streamKey(streamId),
      ...this.#indexKeys(),
      this.#sessionKey(streamId),
      this.#writersKey(),
      this.#willsKey(),
    ];
    const args = [
      message,
      this.#maxEvents,
      this.#ttlMs,
      Date.now(),
      this.#maxBytes,
      streamId,
      this.#streamKey(''),
      EVENT_COST,
      field,
      this.#lease.id,
      answers ? '1' : '0',
    ];
    const entryId = (await this.#redis.eval(APPEND, keys.length, ...keys, ...args)) as string;
    return `${streamId}.${entryId}`;
  }

  async replayAfter(
    lastEventId: string,
    send: (eventId: string, message: string) => void,
  ): Promise<string | undefined> {
    return (await this.#replay(lastEventId, send))?.streamId;
  }

  /**
   * Replays with XRANGE, then reads on from the last entry read, so what is appended meanwhile (from any instance)
   * comes next, once. Every follow of this process is read by one blocking XREAD on one connection of its own. A
   * stream that expired or was forgotten ends the follow, as does a lost reader connection (the client resumes
   * again from the last id it got), and so does a stream whose writer died: then its will and its end marker are
   * written, which a later resume replays and ends on.
   */
  async follow(lastEventId: string, follower: StreamFollower): Promise<FollowResult> {
    const found = await this.#replay(lastEventId, (id, message) => follower.event(id, message));
    if (found === undefined) return undefined;
    const { streamId, cursor, ended } = found;
    if (ended) {
      follower.end();
      return { streamId, stop: () => {} };
    }
    let over = false;
    const subscription: StreamSubscription = {
      key: this.#streamKey(streamId),
      cursor,
      entry: (id, fields) => {
        if (fields[0] === 'e') {
          over = true;
          follower.end();
          return false;
        }
        const message = fields[1] ?? '';
        if (message !== '') follower.event(`${streamId}.${id}`, message);
        return true;
      },
      end: () => {
        if (over) return;
        over = true;
        follower.end();
      },
    };
    const remove = this.#reader.add(subscription);
    return {
      streamId,
      stop: () => {
        over = true;
        remove();
      },
    };
  }

  /** The reader's periodic check of the followed streams (see `CHECK`); answers the keys of streams that are gone. */
  async #check(keys: string[]): Promise<Set<string>> {
    const streamIds = keys.map((key) => key.slice(this.#streamKey('').length));
    const fixed = [this.#writersKey(), this.#willsKey(), this.#indexKeys()[0], this.#indexKeys()[2]];
    const gone = (await this.#redis.eval(
      CHECK,
      fixed.length + keys.length,
      ...fixed,
      ...keys,
      InstanceLease.keyPrefix(this.#prefix),
      EVENT_COST,
      this.#ttlMs,
      ...streamIds,
    )) as string[];
    return new Set(gone);
  }

  /** Stops following (every follow ends) and gives up this process's lease. */
  async close(): Promise<void> {
    this.#reader.close();
    await this.#lease.close();
  }

  /** The replay both `replayAfter` and `follow` start with: the last entry read, and whether it ended the stream. */
  async #replay(
    lastEventId: string,
    send: (eventId: string, message: string) => void,
  ): Promise<{ streamId: string; cursor: string; ended: boolean } | undefined> {
    const dot = lastEventId.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const streamId = lastEventId.slice(0, dot);
    const after = parseEntryId(lastEventId.slice(dot + 1));
    if (after === undefined) return undefined;
    const key = this.#streamKey(streamId);
    const info = await this.#streamInfo(key);
    // Never issued (beyond the last id), or its successors were dropped: either way nothing faithful to replay.
    if (info === undefined || compare(after, info.lastId) > 0 || compare(after, info.maxDeletedId) < 0)
      return undefined;
    let cursor = formatEntryId(after);
    let ended = false;
    const entries = (await this.#redis.xrange(key, `(${cursor}`, '+')) as [string, string[]][];
    for (const [id, fields] of entries) {
      cursor = id;
      // Nothing after the end counts: a writer taken for dead (its lease ran out) may still append behind it.
      if (fields[0] === 'e') {
        ended = true;
        break;
      }
      const message = fields[1] ?? '';
      if (message !== '') send(`${streamId}.${id}`, message);
    }
    // A resumed stream is in use: its TTL and its place in the eviction order start over.
    await this.#redis.multi().pexpire(key, this.#ttlMs).zadd(this.#indexKeys()[1], Date.now(), streamId).exec();
    return { streamId, cursor, ended };
  }

  async forget(streamIdPrefix: string): Promise<void> {
    const keys = [this.#sessionKey(streamIdPrefix), ...this.#indexKeys(), this.#writersKey(), this.#willsKey()];
    await this.#redis.eval(FORGET, keys.length, ...keys, this.#streamKey(''));
  }

  /**
   * Bytes held (counted as `maxBytes` counts them) and streams kept, across every instance sharing the prefix: two
   * counters Redis keeps on each append, read in one round trip. For the metrics gauges at scrape time.
   */
  async size(): Promise<EventStoreSize> {
    const keys = [...this.#indexKeys(), this.#writersKey(), this.#willsKey()];
    const [bytes, streams] = (await this.#redis.eval(
      SIZE,
      keys.length,
      ...keys,
      Date.now() - this.#ttlMs,
      this.#streamKey(''),
      SIZE_SWEEP_LIMIT,
    )) as [number, number];
    return { bytes: Math.max(0, bytes), streams };
  }

  async #streamInfo(key: string): Promise<{ lastId: EntryId; maxDeletedId: EntryId } | undefined> {
    let raw: unknown[];
    try {
      raw = (await this.#redis.xinfo('STREAM', key)) as unknown[];
    } catch (error) {
      if (/no such key/i.test((error as Error).message)) return undefined;
      throw error;
    }
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < raw.length; i += 2) fields.set(String(raw[i]), raw[i + 1]);
    const lastId = parseEntryId(String(fields.get('last-generated-id')));
    const maxDeletedId = parseEntryId(String(fields.get('max-deleted-entry-id') ?? '0-0'));
    return lastId === undefined || maxDeletedId === undefined ? undefined : { lastId, maxDeletedId };
  }

  #streamKey(streamId: string): string {
    return `${this.#prefix}events:${streamId}`;
  }

  /** The per-stream bytes hash, the streams-by-recency zset and the total counter. */
  #indexKeys(): [string, string, string] {
    return [`${this.#prefix}events-bytes`, `${this.#prefix}events-recency`, `${this.#prefix}events-total`];
  }

  /** Each stream's writing instance, by stream id. */
  #writersKey(): string {
    return `${this.#prefix}events-writer`;
  }

  /** Each stream's will (see `will`), by stream id. */
  #willsKey(): string {
    return `${this.#prefix}events-will`;
  }

  /** A session's streams are named `<session id>~<random>`; their set lets the session's end forget them all. */
  #sessionKey(streamIdOrPrefix: string): string {
    const tilde = streamIdOrPrefix.indexOf('~');
    return `${this.#prefix}events-of:${tilde === -1 ? streamIdOrPrefix : streamIdOrPrefix.slice(0, tilde)}`;
  }
}

/** A duration option: a whole number of milliseconds above zero (a blocking read of 0 ms would wait forever). */
function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`RedisEventStore: ${name} must be a positive whole number of milliseconds (got ${value})`);
  return value;
}
