import type { Redis } from 'ioredis';
import type { EventStore, EventStoreSize, FollowResult, StreamFollower } from '../event-store.js';

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
  /** How long one blocking read of a followed stream waits before checking that the stream still exists (default 5 s). */
  followCheckMs?: number;
}

/** Rough bookkeeping cost of one event beyond its message, as the memory store counts it. */
const EVENT_COST = 64;

/**
 * Appends one event atomically and keeps every bound: the stream's oldest events go past `maxlen` (XDEL records
 * the highest dropped id, which replay checks), the stream's TTL restarts, its bytes are counted, streams whose TTL
 * ran out leave the count, and while the total is over `maxBytes` the least recently written other streams go.
 * KEYS: stream key, per-stream bytes hash, streams-by-recency zset, total counter, the session's stream set.
 * ARGV: message, maxlen, ttl ms, now ms, max bytes, stream id, stream key prefix, event cost, field name ('m' for
 * a message, 'e' for the end marker `end` writes).
 */
const APPEND = `
local cost = tonumber(ARGV[8])
local size = string.len(ARGV[1]) + cost
local maxlen = tonumber(ARGV[2])
local now = tonumber(ARGV[4])
local function drop_stream(victim)
  local bytes = tonumber(redis.call('HGET', KEYS[2], victim) or '0')
  redis.call('DEL', ARGV[7] .. victim)
  redis.call('HDEL', KEYS[2], victim)
  redis.call('ZREM', KEYS[3], victim)
  return redis.call('INCRBY', KEYS[4], -bytes)
end
for _, stale in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[3]))) do
  if stale ~= ARGV[6] then drop_stream(stale) end
end
while redis.call('XLEN', KEYS[1]) >= maxlen do
  local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
  redis.call('XDEL', KEYS[1], oldest[1])
  local dropped = string.len(oldest[2][2]) + cost
  redis.call('HINCRBY', KEYS[2], ARGV[6], -dropped)
  redis.call('INCRBY', KEYS[4], -dropped)
end
local id = redis.call('XADD', KEYS[1], '*', ARGV[9], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('HINCRBY', KEYS[2], ARGV[6], size)
redis.call('ZADD', KEYS[3], now, ARGV[6])
redis.call('SADD', KEYS[5], ARGV[6])
redis.call('PEXPIRE', KEYS[5], ARGV[3])
local total = redis.call('INCRBY', KEYS[4], size)
while total > tonumber(ARGV[5]) do
  local victim = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  if victim == nil or victim == ARGV[6] then break end
  total = drop_stream(victim)
end
return id
`;

/** Drops the streams of one session. KEYS: session's stream set, bytes hash, zset, total. ARGV: stream key prefix. */
const FORGET = `
for _, stream in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local bytes = tonumber(redis.call('HGET', KEYS[2], stream) or '0')
  redis.call('DEL', ARGV[1] .. stream)
  redis.call('HDEL', KEYS[2], stream)
  redis.call('ZREM', KEYS[3], stream)
  redis.call('INCRBY', KEYS[4], -bytes)
end
redis.call('DEL', KEYS[1])
`;

/**
 * The size of every stream together: first forgets the bookkeeping of up to ARGV[3] streams whose TTL ran out
 * (Redis already dropped their events; an append would forget them next), so the figure is what is really held.
 * KEYS: per-stream bytes hash, streams-by-recency zset, total counter. ARGV: expiry cutoff ms, stream key prefix,
 * how many expired streams to forget at most.
 */
const SIZE = `
for _, stale in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local bytes = tonumber(redis.call('HGET', KEYS[1], stale) or '0')
  redis.call('DEL', ARGV[2] .. stale)
  redis.call('HDEL', KEYS[1], stale)
  redis.call('ZREM', KEYS[2], stale)
  redis.call('INCRBY', KEYS[3], -bytes)
end
return { tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('ZCARD', KEYS[2]) }
`;

/** Expired streams one `size()` forgets at most: a scrape stays cheap however many went idle at once. */
const SIZE_SWEEP_LIMIT = 1000;

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
  readonly #followCheckMs: number;

  constructor(redis: Redis, options: RedisEventStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? 'switchboard:';
    this.#maxEvents = options.maxEventsPerStream ?? 1000;
    this.#ttlMs = options.streamTtlMs ?? 300_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#followCheckMs = options.followCheckMs ?? 5_000;
  }

  async append(streamId: string, message: string): Promise<string> {
    return this.#append(streamId, message, 'm');
  }

  /** The end is an entry of its own (field `e`), so a follower on any instance reads it in order with the events. */
  async end(streamId: string): Promise<void> {
    await this.#append(streamId, '', 'e');
  }

  async #append(streamId: string, message: string, field: 'm' | 'e'): Promise<string> {
    const keys = [this.#streamKey(streamId), ...this.#indexKeys(), this.#sessionKey(streamId)];
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
   * Replays with XRANGE, then reads on with blocking XREADs from the last entry read, so what is appended meanwhile
   * (from any instance) comes next, once. A blocking read holds its connection, so each follower has one of its
   * own, closed when it stops. A stream that expired or was forgotten ends the follow, as does a lost connection
   * (the client resumes again from the last id it got).
   */
  async follow(lastEventId: string, follower: StreamFollower): Promise<FollowResult> {
    const found = await this.#replay(lastEventId, (id, message) => follower.event(id, message));
    if (found === undefined) return undefined;
    const { streamId, cursor, ended } = found;
    if (ended) {
      follower.end();
      return { streamId, stop: () => {} };
    }
    const reader = this.#redis.duplicate();
    reader.on('error', () => {});
    let stopped = false;
    const stop = () => {
      stopped = true;
      reader.disconnect();
    };
    void this.#readOn(reader, streamId, cursor, follower, () => stopped).finally(() => {
      if (stopped) return;
      stop();
      follower.end();
    });
    return { streamId, stop };
  }

  /** Hands over entries after `from` until the end marker, the stream's expiry, an error, or `stopped()`. */
  async #readOn(
    reader: Redis,
    streamId: string,
    from: string,
    follower: StreamFollower,
    stopped: () => boolean,
  ): Promise<void> {
    const key = this.#streamKey(streamId);
    let cursor = from;
    try {
      while (!stopped()) {
        const reply = (await reader.xread('BLOCK', this.#followCheckMs, 'STREAMS', key, cursor)) as
          | [string, [string, string[]][]][]
          | null;
        if (stopped()) return;
        if (reply === null) {
          if ((await this.#redis.exists(key)) === 0) return;
          continue;
        }
        for (const [id, fields] of reply[0]?.[1] ?? []) {
          cursor = id;
          if (fields[0] === 'e') return;
          const message = fields[1] ?? '';
          if (message !== '') follower.event(`${streamId}.${id}`, message);
        }
      }
    } catch {
      // Stopped (its connection was closed under the read), or Redis went away: either way this follow is over.
    }
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
      if (fields[0] === 'e') ended = true;
      const message = fields[1] ?? '';
      if (message !== '') send(`${streamId}.${id}`, message);
    }
    // A resumed stream is in use: its TTL and its place in the eviction order start over.
    await this.#redis.multi().pexpire(key, this.#ttlMs).zadd(this.#indexKeys()[1], Date.now(), streamId).exec();
    return { streamId, cursor, ended };
  }

  async forget(streamIdPrefix: string): Promise<void> {
    const keys = [this.#sessionKey(streamIdPrefix), ...this.#indexKeys()];
    await this.#redis.eval(FORGET, keys.length, ...keys, this.#streamKey(''));
  }

  /**
   * Bytes held (counted as `maxBytes` counts them) and streams kept, across every instance sharing the prefix: two
   * counters Redis keeps on each append, read in one round trip. For the metrics gauges at scrape time.
   */
  async size(): Promise<EventStoreSize> {
    const keys = this.#indexKeys();
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

  /** A session's streams are named `<session id>~<random>`; their set lets the session's end forget them all. */
  #sessionKey(streamIdOrPrefix: string): string {
    const tilde = streamIdOrPrefix.indexOf('~');
    return `${this.#prefix}events-of:${tilde === -1 ? streamIdOrPrefix : streamIdOrPrefix.slice(0, tilde)}`;
  }
}

type EntryId = readonly [bigint, bigint];

function parseEntryId(text: string): EntryId | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text);
  return match === null ? undefined : [BigInt(match[1] as string), BigInt(match[2] as string)];
}

function formatEntryId([ms, seq]: EntryId): string {
  return `${ms}-${seq}`;
}

function compare(a: EntryId, b: EntryId): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}
