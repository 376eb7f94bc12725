import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { redis, StoreUnavailableError, storesFromEnv } from 'switchboard-mcp/redis';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort, waitFor } from '../support/free-port.js';
import { LEGACY, legacyHeaders, modernRequest, openLegacySession, post } from '../support/http.js';
import type { DedicatedRedis } from '../support/redis-server.js';
import { startDedicatedRedis } from '../support/redis-server.js';
import { postgresUrl } from '../support/services.js';

function newServer(stores: ReturnType<typeof redis>): Switchboard {
  const server = new Switchboard({ name: 'shared', version: '1.0.0', stores, stateSecret: 'x'.repeat(32) });
  server.tool('echo', { description: 'Echoes', input: { text: z.string() } }, ({ text }) => text);
  return server;
}

function callEcho(url: string, sessionId: string, id: number): Promise<Response> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: 'hi' } },
  });
  return post(url, body, legacyHeaders(sessionId));
}

describe('the stores option: redis(url, { database })', () => {
  it('fails the start with a clear error when Redis is down', async () => {
    const port = await freePort();
    const server = newServer(redis(`redis://:hunter2@127.0.0.1:${port}`));
    const failure = await serve(server, { port: 0 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(
      new RegExp(`^Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    );
    expect((failure as Error).message).not.toContain('hunter2');
  });

  describe('with a dedicated redis-server', () => {
    let dedicated: DedicatedRedis;
    let db: TestDatabase;
    beforeAll(async () => {
      dedicated = await startDedicatedRedis();
      db = await createTestDatabase({ url: postgresUrl() });
    }, 60_000);
    afterAll(async () => {
      await dedicated?.stop();
      await db?.dispose();
    });

    it('fails the start with a clear error when PostgreSQL is down', async () => {
      const port = await freePort();
      const stores = redis(dedicated.url, {
        database: `postgres://postgres:pw@127.0.0.1:${port}/none`,
        connectTimeoutMs: 2000,
      });
      const failure = await serve(newServer(stores), { port: 0 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toMatch(
        /^Cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/,
      );
    });

    it('answers 503 while Redis is away, keeps serving what needs no store, and recovers when it is back', async () => {
      const stores = redis(dedicated.url, { database: db, prefix: 'outage:' });
      const server = newServer(stores);
      let handle: HttpServerHandle | undefined;
      try {
        handle = await serve(server, { port: 0 });
        const url = handle.url;
        const session = await openLegacySession(url);
        expect((await callEcho(url, session, 1)).status).toBe(200);

        await dedicated.stop();
        const down = await callEcho(url, session, 2);
        expect(down.status).toBe(503);
        expect(down.headers.get('retry-after')).toBe('1');
        const body = (await down.json()) as { error: { message: string } };
        expect(body.error.message).toMatch(/shared store is unreachable; retry shortly/);
        // A 2026-07-28 call keeps no session state, so it goes on being served.
        const modern = modernRequest(3, 'tools/call', { name: 'echo', arguments: { text: 'still here' } });
        const answered = await post(url, modern.body, modern.headers);
        expect(answered.status).toBe(200);
        expect(await answered.text()).toContain('still here');

        await dedicated.start();
        // No persistence: the session died with Redis, so a client starts a new one, which works again.
        let fresh = '';
        await waitFor('a new session once Redis is back', async () => {
          fresh = await openLegacySession(url);
          return true;
        });
        const again = await callEcho(url, fresh, 4);
        expect(again.status).toBe(200);
        expect(await again.text()).toContain('"text":"hi"');
      } finally {
        await handle?.close();
        await stores.close();
      }
    }, 60_000);

    it('storesFromEnv switches on REDIS_URL (and DATABASE_URL for tasks), and off without it', async () => {
      expect(storesFromEnv({})).toBeUndefined();
      const stores = storesFromEnv({ REDIS_URL: dedicated.url });
      expect(stores).toBeDefined();
      await stores?.open();
      await stores?.sessionStore.create('env-session', {
        protocolVersion: LEGACY,
        clientCapabilities: {},
        clientInfo: undefined,
        logLevel: undefined,
        subscriptions: undefined,
        initialized: true,
      });
      expect((await stores?.sessionStore.get('env-session'))?.initialized).toBe(true);
      await stores?.close();
    });
  });
});
