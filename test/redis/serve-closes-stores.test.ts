import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { redis } from 'switchboard-mcp/redis';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/free-port.js';
import { postgresUrl } from '../support/services.js';
import { sharedStoreServices } from '../support/shared-store-services.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/serve-then-close.ts', import.meta.url));
const pg = postgresUrl();

/** Connections named `switchboard` (what the shared stores open) on a redis-server of this file's own. */
async function storeClients(observer: Redis): Promise<number> {
  const list = (await observer.client('LIST')) as string;
  return list.split('\n').filter((line) => / name=switchboard /.test(line)).length;
}

/** Redis notices a closed connection a moment after the client closed it: wait (bounded) for the count to drop. */
function noStoreClientsLeft(observer: Redis): Promise<void> {
  return waitFor('Redis to see the store connections closed', async () => (await storeClients(observer)) === 0);
}

/** Backends connected to the test database, besides the one asking. */
async function databaseConnections(db: TestDatabase): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return rows[0]?.n ?? -1;
}

function newServer(stores: ReturnType<typeof redis>): Switchboard {
  return new Switchboard({ name: 'closing', version: '1.0.0', stores });
}

describe.skipIf(pg === undefined)('serve().close() closes the shared stores its serve() opened', () => {
  const services = sharedStoreServices(pg);

  it('leaves no Redis client and no PostgreSQL connection behind', async () => {
    const before = await databaseConnections(services.db);
    expect(await storeClients(services.observer)).toBe(0);
    const handle = await serve(
      newServer(redis(services.redis.url, { database: services.db.url, prefix: 'close-a:' })),
      { port: 0 },
    );
    expect(await storeClients(services.observer)).toBeGreaterThan(0);
    expect(await databaseConnections(services.db)).toBeGreaterThan(before);
    await handle.close();
    await noStoreClientsLeft(services.observer);
    await waitFor('PostgreSQL to see the pool closed', async () => (await databaseConnections(services.db)) === before);
  });

  it('keeps stores you opened yourself open until your own close()', async () => {
    const stores = redis(services.redis.url, { prefix: 'close-b:' });
    await stores.open();
    const handle = await serve(newServer(stores), { port: 0 });
    await handle.close();
    expect(await storeClients(services.observer)).toBeGreaterThan(0);
    expect(await stores.sessionStore.get('nobody')).toBeUndefined();
    await stores.close();
    await noStoreClientsLeft(services.observer);
  });

  it('releases the stores when listening fails after they opened', async () => {
    const port = await freePort();
    const first = await serve(newServer(redis(services.redis.url, { prefix: 'close-c:' })), { port });
    const failure = await serve(newServer(redis(services.redis.url, { prefix: 'close-d:' })), { port }).catch(
      (error: unknown) => error,
    );
    expect((failure as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    await first.close();
    await noStoreClientsLeft(services.observer);
  });

  it('lets a process that served and closed end by itself, with no process.exit()', async () => {
    const child = spawn(process.execPath, ['--conditions=switchboard-source', '--import', 'tsx', FIXTURE], {
      env: {
        ...process.env,
        REDIS_URL: services.redis.url,
        DATABASE_URL: services.db.url,
        SWITCHBOARD_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The test's own timeout bounds this wait: a dangling handle keeps the child alive and the test fails.
    const [code] = await once(child, 'exit');
    expect({ code, stdout, stderr }).toMatchObject({ code: 0, stdout: 'ANSWERED 200\nCLOSED\n' });
  }, 30_000);
});
