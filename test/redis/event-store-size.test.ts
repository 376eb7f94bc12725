import type { Redis } from 'ioredis';
import { createMetrics } from 'switchboard-mcp/observability';
import { connectRedis, RedisEventStore, redis } from 'switchboard-mcp/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DedicatedRedis } from '../support/redis-server.js';
import { startDedicatedRedis } from '../support/redis-server.js';

/** What the store counts per event beyond its message (as `maxBytes` counts it). */
const EVENT_COST = 64;

function gauge(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Calls of EVAL Redis has answered since the last CONFIG RESETSTAT. */
async function evalCalls(client: Redis): Promise<number> {
  const stats = (await client.info('commandstats')) as string;
  return Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe('RedisEventStore#size() and the event-store gauges, on a redis-server of its own', () => {
  let dedicated: DedicatedRedis;
  let client: Redis;
  beforeAll(async () => {
    dedicated = await startDedicatedRedis();
    client = await connectRedis(dedicated.url, { name: 'size-test' });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await dedicated?.stop();
  });

  it('reports the bytes and streams held, read in one round trip per scrape', async () => {
    const store = new RedisEventStore(client, { prefix: 'size-a:' });
    const metrics = createMetrics().watch({ eventStore: store });
    expect(await store.size()).toEqual({ bytes: 0, streams: 0 });
    const messages = ['{"jsonrpc":"2.0","method":"a"}', '{"jsonrpc":"2.0","method":"bb"}', '{"x":1}'];
    await store.append('s1~one', messages[0] as string);
    await store.append('s1~one', messages[1] as string);
    await store.append('s2~two', messages[2] as string);
    const bytes = messages.reduce((sum, message) => sum + message.length + EVENT_COST, 0);
    expect(await store.size()).toEqual({ bytes, streams: 2 });

    await client.config('RESETSTAT');
    const text = await metrics.scrape();
    expect(gauge(text, 'switchboard_event_store_bytes')).toBe(bytes);
    expect(gauge(text, 'switchboard_event_store_streams')).toBe(2);
    expect(await evalCalls(client)).toBe(1);

    await store.forget('s1');
    expect(await store.size()).toEqual({ bytes: (messages[2] as string).length + EVENT_COST, streams: 1 });
  });

  it('stops counting a stream whose TTL ran out, though no append came to forget it', async () => {
    const store = new RedisEventStore(client, { prefix: 'size-b:', streamTtlMs: 60_000 });
    await store.append('old~1', 'x'.repeat(100));
    await store.append('new~1', 'y'.repeat(10));
    // As if `old~1` was last written an hour ago: Redis dropped its events, the bookkeeping still names it.
    await client.zadd('size-b:events-recency', Date.now() - 3_600_000, 'old~1');
    await client.del('size-b:events:old~1');
    expect(await store.size()).toEqual({ bytes: 10 + EVENT_COST, streams: 1 });
  });

  it('works through the shared stores of redis(url), across the instances sharing a prefix', async () => {
    const [one, two] = [redis(dedicated.url, { prefix: 'size-c:' }), redis(dedicated.url, { prefix: 'size-c:' })];
    await Promise.all([one.open(), two.open()]);
    try {
      await one.eventStore.append('a~1', 'hello');
      const metrics = createMetrics().watch({ eventStore: two.eventStore });
      const text = await metrics.scrape();
      expect(gauge(text, 'switchboard_event_store_bytes')).toBe(5 + EVENT_COST);
      expect(gauge(text, 'switchboard_event_store_streams')).toBe(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
