import { Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { healthRoutes } from 'switchboard-mcp/observability';
import { connectRedis, redis as sharedRedis } from 'switchboard-mcp/redis';
import { describe, expect, it } from 'vitest';
import { OwnRedis } from './redis-server.js';

describe('/healthz and /readyz', () => {
  it('is alive and ready while its store answers; not ready when Redis is down or the server is shutting down', async () => {
    const redisServer = await OwnRedis.start();
    const redis = await connectRedis(redisServer.url);
    const server = new Switchboard({ name: 'health', version: '1' });
    const routes = healthRoutes(server, { checks: { redis: () => redis.ping() }, timeoutMs: 500 });
    const handle = await serve(server, { port: 0, routes });
    const get = async (path: string) => {
      const response = await fetch(new URL(path, handle.url));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready', checks: { redis: 'ok' } } });

      await redisServer.stop();
      const down = await get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('not ready');
      expect((down.body.checks as Record<string, string>).redis).toMatch(/^failed: /);
      expect((await get('/healthz')).status).toBe(200);

      await redisServer.restart();
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await get('/readyz')).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready).toBe(200);

      server.beginClose();
      expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'shutting down' } });
    } finally {
      await handle.close();
      redis.disconnect();
      await redisServer.stop();
    }
  });
});

describe('/readyz with a check that never answers', () => {
  it('counts it failed after timeoutMs and says so', async () => {
    const server = new Switchboard({ name: 'health', version: '1' });
    const routes = healthRoutes(server, { checks: { db: () => new Promise(() => {}), ok: () => 1 }, timeoutMs: 100 });
    const handle = await serve(server, { port: 0, routes });
    try {
      const response = await fetch(new URL('/readyz', handle.url));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'not ready',
        checks: { db: 'failed: no answer in 100 ms', ok: 'ok' },
      });
    } finally {
      await handle.close();
    }
  });
});

describe('/readyz of a server with shared stores', () => {
  it('checks the stores by itself: ready while Redis answers, not ready while it is down', async () => {
    const redisServer = await OwnRedis.start();
    const server = new Switchboard({ name: 'health', version: '1', stores: sharedRedis(redisServer.url) });
    const handle = await serve(server, { port: 0, routes: healthRoutes(server, { timeoutMs: 1000 }) });
    const ready = async () => {
      const response = await fetch(new URL('/readyz', handle.url));
      return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
    };
    try {
      expect(await ready()).toEqual({ status: 200, body: { status: 'ready', checks: { stores: 'ok' } } });
      await redisServer.stop();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.checks.stores).toMatch(/^failed: /);
    } finally {
      await handle.close();
      await redisServer.stop();
    }
  });
});
