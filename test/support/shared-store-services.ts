import type { Redis } from 'ioredis';
import { connectRedis } from 'switchboard-mcp/redis';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll } from 'vitest';
import type { DedicatedRedis } from './redis-server.js';
import { startDedicatedRedis } from './redis-server.js';

/** What the shared stores of a describe's tests run on; set once its `beforeAll` has run. */
export interface SharedStoreServices {
  /** A redis-server of the describe's own. */
  redis: DedicatedRedis;
  /** A client of that redis-server named `observer`, to watch what the stores do (`CLIENT LIST`, keys). */
  observer: Redis;
  /** A fresh database on the PostgreSQL server at `postgresUrl`. */
  db: TestDatabase;
}

/**
 * Call inside a `describe`: starts a dedicated redis-server, connects an observer to it and creates a fresh
 * database on PostgreSQL before the describe's tests, and ends all three after them.
 */
export function sharedStoreServices(postgresUrl: string | undefined): SharedStoreServices {
  const services = {} as SharedStoreServices;
  beforeAll(async () => {
    services.redis = await startDedicatedRedis();
    services.observer = await connectRedis(services.redis.url, { name: 'observer' });
    services.db = await createTestDatabase({ url: postgresUrl });
  }, 60_000);
  afterAll(async () => {
    services.observer?.disconnect();
    await services.redis?.stop();
    await services.db?.dispose();
  });
  return services;
}
