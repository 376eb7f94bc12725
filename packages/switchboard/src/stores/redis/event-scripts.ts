/**
 * The Lua scripts of `RedisEventStore`: each keeps the store's bookkeeping (bytes per stream and in total, streams
 * by recency, each session's streams, each stream's writer and will) consistent in one atomic step.
 */

/** Rough bookkeeping cost of one event beyond its message, as the memory store counts it. */
export const EVENT_COST = 64;

/**
 * A Lua `drop_stream(id)` that deletes one stream and all its bookkeeping and returns the new total, for scripts
 * that hold the keys at different positions: each argument is the Lua expression of that key in the script.
 */
function dropStreamFunction(keys: {
  prefix: string;
  bytes: string;
  recency: string;
  total: string;
  writers: string;
  wills: string;
}): string {
  return `local function drop_stream(victim)
  local bytes = tonumber(redis.call('HGET', ${keys.bytes}, victim) or '0')
  redis.call('DEL', ${keys.prefix} .. victim)
  redis.call('HDEL', ${keys.bytes}, victim)
  redis.call('ZREM', ${keys.recency}, victim)
  redis.call('HDEL', ${keys.writers}, victim)
  redis.call('HDEL', ${keys.wills}, victim)
  return redis.call('INCRBY', ${keys.total}, -bytes)
end`;
}

/**
 * Appends one event atomically and keeps every bound: the stream's oldest events go past `maxlen` (XDEL records
 * the highest dropped id, which replay checks), the stream's TTL restarts, its bytes are counted, streams whose TTL
 * ran out leave the count, and while the total is over `maxBytes` the least recently written other streams go.
 * The appending instance is recorded as the stream's writer; the end marker forgets writer and will, and a message
 * that answers the stream's request forgets the will.
 * KEYS: stream key, per-stream bytes hash, streams-by-recency zset, total counter, the session's stream set, the
 * writers hash, the wills hash.
 * ARGV: message, maxlen, ttl ms, now ms, max bytes, stream id, stream key prefix, event cost, field name ('m' for
 * a message, 'e' for the end marker `end` writes), writer instance id, '1' when the message answers the request.
 */
export const APPEND = `
local cost = tonumber(ARGV[8])
local size = string.len(ARGV[1]) + cost
local maxlen = tonumber(ARGV[2])
local now = tonumber(ARGV[4])
${dropStreamFunction({ prefix: 'ARGV[7]', bytes: 'KEYS[2]', recency: 'KEYS[3]', total: 'KEYS[4]', writers: 'KEYS[6]', wills: 'KEYS[7]' })}
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
if ARGV[9] == 'e' then
  redis.call('HDEL', KEYS[6], ARGV[6])
  redis.call('HDEL', KEYS[7], ARGV[6])
else
  redis.call('HSET', KEYS[6], ARGV[6], ARGV[10])
  if ARGV[11] == '1' then redis.call('HDEL', KEYS[7], ARGV[6]) end
end
local total = redis.call('INCRBY', KEYS[4], size)
while total > tonumber(ARGV[5]) do
  local victim = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  if victim == nil or victim == ARGV[6] then break end
  total = drop_stream(victim)
end
return id
`;

/**
 * Drops the streams of one session. KEYS: session's stream set, bytes hash, zset, total, writers hash, wills hash.
 * ARGV: stream key prefix.
 */
export const FORGET = `
${dropStreamFunction({ prefix: 'ARGV[1]', bytes: 'KEYS[2]', recency: 'KEYS[3]', total: 'KEYS[4]', writers: 'KEYS[5]', wills: 'KEYS[6]' })}
for _, stream in ipairs(redis.call('SMEMBERS', KEYS[1])) do drop_stream(stream) end
redis.call('DEL', KEYS[1])
`;

/**
 * The size of every stream together: first forgets the bookkeeping of up to ARGV[3] streams whose TTL ran out
 * (Redis already dropped their events; an append would forget them next), so the figure is what is really held.
 * KEYS: per-stream bytes hash, streams-by-recency zset, total counter, writers hash, wills hash. ARGV: expiry cutoff
 * ms, stream key prefix, how many expired streams to forget at most.
 */
export const SIZE = `
${dropStreamFunction({ prefix: 'ARGV[2]', bytes: 'KEYS[1]', recency: 'KEYS[2]', total: 'KEYS[3]', writers: 'KEYS[4]', wills: 'KEYS[5]' })}
for _, stale in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))) do
  drop_stream(stale)
end
return { tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('ZCARD', KEYS[2]) }
`;

/**
 * The followed streams' health, for the shared reader's periodic check. A stream that no longer exists is returned
 * (its followers end). A stream whose writer's lease is gone (the writer was killed) and that has no end marker is
 * abandoned here, once, whichever instance checks first: its will (an error answering its request), if it has one,
 * then the end marker are appended, so every follower, and every later resume, reads them and ends.
 * KEYS: writers hash, wills hash, bytes hash, total counter, then the followed stream keys. ARGV: lease key prefix,
 * event cost, ttl ms, then the followed stream ids (in the order of their keys).
 */
export const CHECK = `
local cost = tonumber(ARGV[2])
local gone = {}
for i = 5, #KEYS do
  local key = KEYS[i]
  local stream = ARGV[i - 1]
  if redis.call('EXISTS', key) == 0 then
    table.insert(gone, key)
  else
    local writer = redis.call('HGET', KEYS[1], stream)
    if writer and redis.call('EXISTS', ARGV[1] .. writer) == 0 then
      local last = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)[1]
      if last == nil or last[2][1] ~= 'e' then
        local will = redis.call('HGET', KEYS[2], stream)
        local size = cost
        if will then
          redis.call('XADD', key, '*', 'm', will)
          size = size + string.len(will) + cost
        end
        redis.call('XADD', key, '*', 'e', '')
        redis.call('PEXPIRE', key, ARGV[3])
        redis.call('HINCRBY', KEYS[3], stream, size)
        redis.call('INCRBY', KEYS[4], size)
      end
      redis.call('HDEL', KEYS[1], stream)
      redis.call('HDEL', KEYS[2], stream)
    end
  end
end
return gone
`;

/** Expired streams one `size()` forgets at most: a scrape stays cheap however many went idle at once. */
export const SIZE_SWEEP_LIMIT = 1000;
