import { randomUUID } from 'node:crypto';
import { PostgresTaskStore } from 'switchboard-mcp/postgres';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase, taskStoreContract } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../support/services.js';

const runner = { describe, it };

for (const engine of sqlEngines()) {
  describe(`PostgresTaskStore on ${engine.name}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ url: engine.url });
    }, 60_000);
    afterAll(async () => {
      await db?.dispose();
    });

    // Each case starts from an empty table; the cases of one file run one after another.
    taskStoreContract(
      engine.name,
      async () => {
        const store = await PostgresTaskStore.open(db);
        await db.query('DELETE FROM switchboard_tasks');
        return { store };
      },
      runner,
    );

    it('migrates once: a second open (another instance starting) changes nothing', async () => {
      await Promise.all([PostgresTaskStore.open(db), PostgresTaskStore.open(db)]);
      const { rows } = await db.query<{ name: string }>(
        "SELECT name FROM switchboard_migrations WHERE name = '001_switchboard_tasks'",
      );
      expect(rows).toHaveLength(1);
    });

    it('lets exactly one of several instances claim an expired lease', async () => {
      const store = await PostgresTaskStore.open(db, { table: 'claim_tasks' });
      const now = new Date().toISOString();
      const taskId = randomUUID();
      await store.create({
        taskId,
        principal: 'sub:carol',
        status: 'working',
        createdAt: now,
        lastUpdatedAt: now,
        ttlMs: 60_000,
        pollIntervalMs: 500,
        owner: 'dead-instance',
        leaseExpiresAt: Date.now() - 1,
      });
      const error = { code: -32603, message: 'gone' };
      const claims = await Promise.all([1, 2, 3, 4].map(() => store.failExpired(Date.now(), error)));
      expect(claims.flat().map((task) => task.taskId)).toEqual([taskId]);
      expect((await store.get(taskId))?.status).toBe('failed');
    });

    it('forgets a finished task once its TTL has passed', async () => {
      const store = await PostgresTaskStore.open(db, { table: 'ttl_tasks' });
      const created = new Date(Date.now() - 10_000).toISOString();
      const taskId = randomUUID();
      await store.create({
        taskId,
        principal: 'sub:dan',
        status: 'completed',
        createdAt: created,
        lastUpdatedAt: created,
        ttlMs: 5_000,
        pollIntervalMs: 500,
        result: { content: [] },
      });
      expect(await store.get(taskId)).toBeUndefined();
    });

    it('refuses a table name that is not a plain identifier', () => {
      expect(() => new PostgresTaskStore(db, { table: 'tasks; DROP TABLE x' })).toThrow(/not a plain/);
    });
  });
}
