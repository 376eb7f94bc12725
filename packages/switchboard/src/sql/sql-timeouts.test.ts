import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { postgresUrl } from '../../../../test/support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../../../../test/support/sql-fixture.js';
import { Switchboard } from '../server/switchboard.js';
import { TestClient } from '../testing/test-client.js';
import type { TestDatabase } from '../testing/test-database.js';
import type { Database } from './database.js';
import { openDatabase } from './database.js';
import { sqlTool } from './sql-tool.js';

const textOf = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

async function sleeper(db: Database, timeoutMs: number): Promise<TestClient> {
  const server = new Switchboard({ name: 'timeouts', version: '1.0.0' });
  await sqlTool(server, db, {
    name: 'slow',
    description: 'Sleeps on the server',
    input: { seconds: z.number() },
    sql: 'SELECT true AS done, pg_backend_pid() AS pid FROM pg_sleep(:seconds)',
    timeoutMs,
  });
  return new TestClient(server);
}

describe('timeouts on PGlite', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await contactsDatabase(undefined);
  }, SQL_SETUP_TIMEOUT);
  afterAll(() => db.dispose());

  it('cannot interrupt a running statement (documented): the call completes, late', async () => {
    const client = await sleeper(db, 50);
    const result = await client.callTool('slow', { seconds: 0.2 });
    expect(result.structuredContent).toMatchObject({ rows: [{ done: true }] });
  });
});

describe.skipIf(postgresUrl() === undefined)('server-side stops on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await contactsDatabase(postgresUrl());
  }, SQL_SETUP_TIMEOUT);
  afterAll(() => db.dispose());

  it('tells the model the statement timed out, and the connection serves the next call', async () => {
    // One pooled connection: the next call can only succeed if the timed-out one came back healthy.
    const one = await openDatabase({ url: db.url, poolSize: 1 });
    try {
      const client = await sleeper(one, 150);
      const result = await client.callTool('slow', { seconds: 30 });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^Tool "slow" timed out: the query ran longer than 150 ms and was cancelled/);
      const next = (await client.callTool('slow', { seconds: 0 })).structuredContent as { rows: { pid: number }[] };
      expect(next.rows[0]).toMatchObject({ done: true });
      const again = (await client.callTool('slow', { seconds: 0 })).structuredContent as { rows: { pid: number }[] };
      expect(again.rows[0]?.pid).toBe(next.rows[0]?.pid);
    } finally {
      await one.close();
    }
  });

  const running = async (marker: string) =>
    (
      await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep%' AND query LIKE $1 AND state = 'active'",
        [`%${marker}%`],
      )
    ).rows[0]?.n;

  it('cancels the statement on the server when the client cancels the call', async () => {
    const server = new Switchboard({ name: 'cancel', version: '1.0.0' });
    await sqlTool(server, db, {
      name: 'cancellable',
      description: 'Sleeps on the server',
      sql: "SELECT true AS done, 'cancel-marker' AS marker FROM pg_sleep(60)",
      timeoutMs: 120_000,
    });
    const client = new TestClient(server);
    const controller = new AbortController();
    const call = client.callTool('cancellable', {}, { signal: controller.signal });
    call.catch(() => {});
    await expect.poll(() => running('cancel-marker'), { timeout: 10_000 }).toBe(1);
    controller.abort();
    await expect(call).rejects.toThrow();
    await expect.poll(() => running('cancel-marker'), { timeout: 10_000 }).toBe(0);
  });

  it('gives up waiting for a lock after lockTimeoutMs', async () => {
    const server = new Switchboard({ name: 'locks', version: '1.0.0' });
    await sqlTool(server, db, {
      name: 'read_contacts',
      description: 'Counts contacts',
      sql: 'SELECT count(*)::int AS n FROM contacts',
      lockTimeoutMs: 100,
    });
    const client = new TestClient(server);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = db.transaction(async (tx) => {
      await tx.query('LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE');
      locked();
      await held;
    });
    await isLocked;
    const result = await client.callTool('read_contacts');
    release();
    await holder;
    expect(textOf(result)).toMatch(/^Tool "read_contacts" timed out after waiting 100 ms for a lock/);
    expect((await client.callTool('read_contacts')).structuredContent).toEqual({ rows: [{ n: 50 }], truncated: false });
  });
});
