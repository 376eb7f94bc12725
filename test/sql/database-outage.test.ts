import { Switchboard } from 'switchboard-mcp';
import type { Database } from 'switchboard-mcp/sql';
import { DatabaseUnavailableError, openDatabase, sqlTool } from 'switchboard-mcp/sql';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { captureLogs, createTestDatabase, TestClient } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { postgresUrl } from '../support/services.js';
import { SQL_SETUP_TIMEOUT } from '../support/sql-fixture.js';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.js';

const textOf = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

describe.skipIf(postgresUrl() === undefined)('PostgreSQL going away and coming back', () => {
  let direct: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    direct = await createTestDatabase({ url: postgresUrl() });
    await direct.exec(
      "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO items VALUES (1, 'one')",
    );
    const target = new URL(direct.url as string);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
  }, SQL_SETUP_TIMEOUT);
  afterAll(async () => {
    await proxy.stop();
    await direct.dispose();
  });

  it('says clearly that the database is down at start', async () => {
    await proxy.stop();
    try {
      const attempt = openDatabase({ url: viaProxy(direct.url as string, proxy), connectTimeoutMs: 2_000 });
      await expect(attempt).rejects.toThrow(DatabaseUnavailableError);
      await expect(
        openDatabase({ url: viaProxy(direct.url as string, proxy), connectTimeoutMs: 2_000 }),
      ).rejects.toThrow(/^Cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/switchboard_test_/);
    } finally {
      await proxy.start();
    }
  });

  it('says which tool could not be checked when the database goes down before registration', async () => {
    const db = await openDatabase({ url: viaProxy(direct.url as string, proxy), connectTimeoutMs: 2_000 });
    await proxy.stop();
    try {
      const server = new Switchboard({ name: 'outage', version: '1.0.0' });
      await expect(
        sqlTool(server, db, { name: 'list_items', description: 'Items', sql: 'SELECT id, name FROM items' }),
      ).rejects.toThrow(/^SQL tool "list_items": cannot check its SQL against the database, which is unavailable/);
    } finally {
      await proxy.start();
      await db.close();
    }
  });

  it('masks calls while the database is away, without crashing, and serves again once it is back', async () => {
    const logs = captureLogs('error');
    let db: Database | undefined;
    try {
      db = await openDatabase({ url: viaProxy(direct.url as string, proxy), poolSize: 2, connectTimeoutMs: 2_000 });
      const server = new Switchboard({ name: 'outage', version: '1.0.0', logger: logs.logger });
      await sqlTool(server, db, {
        name: 'get_item',
        description: 'An item by id',
        input: { id: z.number().int() },
        sql: 'SELECT id, name FROM items WHERE id = :id',
      });
      const client = new TestClient(server);
      const up = { rows: [{ id: 1, name: 'one' }], truncated: false };
      expect((await client.callTool('get_item', { id: 1 })).structuredContent).toEqual(up);

      await proxy.stop();
      for (let attempt = 0; attempt < 3; attempt++) {
        const down = await client.callTool('get_item', { id: 1 });
        expect(down.isError).toBe(true);
        const correlationId = (down._meta as Record<string, string>)['dev.switchboard/correlationId'];
        expect(textOf(down)).toBe(
          `Tool "get_item" could not reach its database (correlation id ${correlationId}). This is usually temporary: retry in a few seconds.`,
        );
        expect(logs.lines.some((line) => line.correlationId === correlationId)).toBe(true);
      }

      await proxy.start();
      await expect.poll(async () => (await client.callTool('get_item', { id: 1 })).structuredContent).toEqual(up);
    } finally {
      await db?.close();
    }
  });
});
