import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  connectRedis,
  RedisBus,
  RedisEventStore,
  RedisSessionStore,
  StoreUnavailableError,
} from 'switchboard-mcp/redis';
import { busContract, eventStoreContract, sessionStoreContract } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../support/services.js';

const url = redisUrl();
const runner = { describe, it };
const newState = () => ({
  protocolVersion: '2025-11-25',
  clientCapabilities: {},
  clientInfo: undefined,
  logLevel: undefined,
  subscriptions: undefined,
  initialized: false,
});

/** Every case gets keys of its own, so cases and parallel test files never see each other's data. */
const prefix = () => `sbtest:${randomBytes(6).toString('hex')}:`;

describe.skipIf(url === undefined)('Redis stores', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(url as string);
  });
  afterAll(async () => {
    const keys = await redis.keys('sbtest:*');
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  sessionStoreContract(
    'RedisSessionStore',
    () => ({ store: new RedisSessionStore(redis, { prefix: prefix() }) }),
    runner,
  );
  eventStoreContract(
    'RedisEventStore',
    () => {
      const store = new RedisEventStore(redis, { prefix: prefix(), followCheckMs: 100 });
      return { store, dispose: () => store.close() };
    },
    runner,
  );
  let channel = '';
  busContract(
    'RedisBus',
    () => {
      channel ||= `${prefix()}events`;
      const bus = new RedisBus(redis, { channel });
      return { store: bus, dispose: () => bus.close() };
    },
    runner,
  );

  it('expires an idle session and keeps a touched one', async () => {
    const store = new RedisSessionStore(redis, { prefix: prefix(), idleTtlMs: 300 });
    await store.create('idle', newState());
    await store.create('busy', newState());
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await store.touch('busy');
    }
    expect(await store.get('idle')).toBeUndefined();
    expect(await store.get('busy')).toBeDefined();
  });

  it('does not bring back a deleted session when a save races the delete', async () => {
    const store = new RedisSessionStore(redis, { prefix: prefix() });
    await store.create('s', newState());
    await store.delete('s');
    await store.save('s', newState());
    expect(await store.get('s')).toBeUndefined();
  });

  it('keeps maxEventsPerStream events and refuses a resume whose following events were dropped', async () => {
    const store = new RedisEventStore(redis, { prefix: prefix(), maxEventsPerStream: 2 });
    const prime = await store.append('s~1', '');
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await store.append('s~1', `{"n":${n}}`));
    expect(await store.replayAfter(prime, () => {})).toBeUndefined();
    const replayed: string[] = [];
    expect(await store.replayAfter(ids[0] as string, (_id, message) => replayed.push(message))).toBe('s~1');
    expect(replayed).toEqual(['{"n":2}', '{"n":3}']);
    expect(await store.replayAfter('s~1.99999999999999-0', () => {})).toBeUndefined();
  });

  it('bounds the total: past maxBytes the least recently written streams go whole', async () => {
    const keys = prefix();
    const store = new RedisEventStore(redis, { prefix: keys, maxBytes: 2_000 });
    const big = JSON.stringify({ data: 'x'.repeat(600) });
    const first = await store.append('a~1', big);
    await store.append('b~1', big);
    const last = await store.append('c~1', big);
    const resumeFirst = await store.replayAfter(first, () => {});
    expect(resumeFirst).toBeUndefined();
    expect(await store.replayAfter(last, () => {})).toBe('c~1');
    expect(Number(await redis.get(`${keys}events-total`))).toBeLessThanOrEqual(2_000);
  });

  it('forgets every stream of one session and keeps the count right', async () => {
    const keys = prefix();
    const store = new RedisEventStore(redis, { prefix: keys });
    const gone = await store.append('sess~a', '{"x":1}');
    await store.append('sess~b', '{"x":2}');
    const kept = await store.append('other~a', '{"x":3}');
    await store.forget('sess~');
    expect(await store.replayAfter(gone, () => {})).toBeUndefined();
    expect(await store.replayAfter(kept, () => {})).toBe('other~a');
    expect(Number(await redis.get(`${keys}events-total`))).toBe('{"x":3}'.length + 64);
  });
});

describe('connecting to Redis', () => {
  it('fails at start with a clear message, without the password, when Redis is down', async () => {
    const attempt = connectRedis('redis://:hunter2@127.0.0.1:1', { connectTimeoutMs: 1000 });
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(connectRedis('redis://:hunter2@127.0.0.1:1', { connectTimeoutMs: 1000 })).rejects.toThrow(
      /^Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
    );
  });
});
