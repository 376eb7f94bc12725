import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Redis } from 'ioredis';
import type { Switchboard } from 'switchboard-mcp';
import { httpRateLimit, quota } from 'switchboard-mcp/quota';
import { connectRedis } from 'switchboard-mcp/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest, post, startServer } from '../support/http.js';
import { OwnRedis } from './redis-server.js';

/** A JSON-RPC reply, loosely typed for assertions. */
type Reply = { result: { isError?: boolean; content: { text: string }[] }; error: { message: string } };

const textOf = (result: unknown) => (result as { content: { text: string }[] }).content[0]?.text;

/** Polls `check` until it holds (bounded): Redis's disconnect is noticed asynchronously. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('quotas shared through Redis (a redis-server of this test, on a free port)', () => {
  let redisServer: OwnRedis;
  let redis: Redis;
  beforeAll(async () => {
    redisServer = await OwnRedis.start();
    redis = await connectRedis(redisServer.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
  });

  const register = (store: { redis: Redis }, whenStoreDown: 'open' | 'closed') => (server: Switchboard) => {
    server.tool('report', {}, () => 'report');
    server.use(
      quota({
        store,
        whenStoreDown,
        keyPrefix: `ops-test-${whenStoreDown}`,
        perTool: { report: { points: 3, durationSec: 60, per: 'all' } },
      }),
    );
  };

  it('two instances share one budget', async () => {
    const a = await startServer(register({ redis }, 'closed'));
    const b = await startServer(register({ redis }, 'closed'));
    try {
      const results = [];
      for (const url of [a.url, b.url, a.url, b.url]) {
        const client = new Client({ name: 'quota-redis', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await client.connect(new StreamableHTTPClientTransport(new URL(url)));
        results.push(await client.callTool({ name: 'report', arguments: {} }));
        await client.close();
      }
      expect(results.map((r) => Boolean(r.isError))).toEqual([false, false, false, true]);
      expect(textOf(results[3])).toMatch(/allows 3 per 60 s\. Retry after \d+ seconds?\./);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('with Redis down: closed refuses with a clear result and 503, open serves; both recover when it is back', async () => {
    const closed = await startServer(register({ redis }, 'closed'), {
      admit: httpRateLimit({ points: 1000, durationSec: 60, store: { redis }, keyPrefix: 'ops-test-http' }),
    });
    const open = await startServer(register({ redis }, 'open'));
    const call = async (url: string) => {
      const { headers, body } = modernRequest(1, 'tools/call', { name: 'report', arguments: {} });
      const response = await post(url, body, headers);
      return {
        status: response.status,
        retry: response.headers.get('retry-after'),
        body: (await response.json()) as Reply,
      };
    };
    try {
      await redis.flushall();
      expect((await call(closed.url)).body.result.isError).toBeUndefined();
      await redisServer.stop();
      await eventually(async () => redis.status !== 'ready', 'the client to notice Redis is gone');

      // Fail-closed: the HTTP edge limit answers 503 with Retry-After before anything runs.
      const refused = await call(closed.url);
      expect(refused.status).toBe(503);
      expect(refused.retry).toBe('5');
      expect(refused.body.error.message).toBe(
        'Service Unavailable: rate limiting cannot reach its store; retry after 5 seconds',
      );
      // Fail-open: served without counting.
      for (let i = 0; i < 5; i++) expect((await call(open.url)).body.result.isError).toBeUndefined();

      await redisServer.restart();
      await eventually(async () => redis.status === 'ready', 'the client to reconnect');
      expect((await call(closed.url)).status).toBe(200);
    } finally {
      await closed.close();
      await open.close();
    }
  });

  it('the middleware itself, fail-closed, gives the model a clear isError result', async () => {
    const server = await startServer(register({ redis }, 'closed'));
    try {
      await redisServer.stop();
      await eventually(async () => redis.status !== 'ready', 'the client to notice Redis is gone');
      const { headers, body } = modernRequest(1, 'tools/call', { name: 'report', arguments: {} });
      const reply = (await (await post(server.url, body, headers)).json()) as Reply;
      expect(reply.result.isError).toBe(true);
      expect(textOf(reply.result)).toBe(
        'Rate limiting is unavailable right now (its store cannot be reached). Retry after 5 seconds.',
      );
      await redisServer.restart();
      await eventually(async () => redis.status === 'ready', 'the client to reconnect');
      const again = (await (await post(server.url, body, headers)).json()) as Reply;
      expect(again.result.isError).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
