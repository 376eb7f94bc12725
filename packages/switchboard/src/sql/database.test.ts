import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../../../test/support/services.js';
import type { TestDatabase } from '../testing/test-database.js';
import { createTestDatabase } from '../testing/test-database.js';
import { DatabaseUnavailableError, openDatabase } from './database.js';
import { MigrationError, migrate } from './migrate.js';

describe.each(sqlEngines())('database on $name', ({ url }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ url, extensions: ['pg_trgm'] });
  });
  afterAll(() => db.dispose());

  it('binds parameters and returns the same types on both engines', async () => {
    const result = await db.query(
      "SELECT $1::text AS name, 42::int8 AS big, 9007199254740993::int8 AS huge, 1.5::numeric AS n, '2020-01-02'::date AS d, '{\"a\":1}'::jsonb AS j",
      ["O'Brien; DROP TABLE x"],
    );
    expect(result.rows[0]).toEqual({
      name: "O'Brien; DROP TABLE x",
      big: 42,
      huge: '9007199254740993',
      n: '1.5',
      d: new Date('2020-01-02T00:00:00Z'),
      j: { a: 1 },
    });
    expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['name', 25],
      ['big', 20],
      ['huge', 20],
      ['n', 1700],
      ['d', 1082],
      ['j', 3802],
    ]);
  });

  it('refuses writes inside a read-only transaction and rolls back on error', async () => {
    await db.exec('CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)');
    await expect(
      db.transaction((tx) => tx.query("INSERT INTO notes VALUES (1, 'x')"), { readOnly: true }),
    ).rejects.toThrow(/read-only transaction/);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO notes VALUES (2, 'y')");
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await db.query('SELECT count(*)::int AS n FROM notes')).rows[0]).toEqual({ n: 0 });
    await db.transaction((tx) => tx.query("INSERT INTO notes VALUES (3, 'z')"));
    expect((await db.query('SELECT id FROM notes')).rows).toEqual([{ id: 3 }]);
  });

  it('has the requested extension', async () => {
    await db.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const result = await db.query<{ s: number }>("SELECT similarity('switchboard', 'switchbord') > 0.5 AS s");
    expect(result.rows[0]).toEqual({ s: true });
  });

  it('applies migrations once, in numeric order, and refuses an edited one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-migrations-'));
    try {
      await writeFile(join(dir, '10_second.sql'), 'INSERT INTO steps VALUES (2);');
      await writeFile(join(dir, '2_first.sql'), 'CREATE TABLE steps (n int); INSERT INTO steps VALUES (1);');
      await writeFile(join(dir, 'README.md'), 'not a migration');
      expect(await migrate(db, dir)).toEqual({ applied: ['2_first.sql', '10_second.sql'], skipped: [] });
      expect(await migrate(db, dir)).toEqual({ applied: [], skipped: ['2_first.sql', '10_second.sql'] });
      expect((await db.query('SELECT n FROM steps ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }]);
      await writeFile(join(dir, '10_second.sql'), 'INSERT INTO steps VALUES (3);');
      await expect(migrate(db, dir)).rejects.toThrow(MigrationError);
      await expect(migrate(db, dir)).rejects.toThrow(/10_second.sql was changed/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('rolls back every migration of a run when one fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-migrations-'));
    try {
      await writeFile(join(dir, '1_ok.sql'), 'CREATE TABLE kept_out (n int);');
      await writeFile(join(dir, '2_bad.sql'), 'CREATE TABLE broken (n nosuchtype);');
      await expect(migrate(db, dir, { table: 'other_migrations' })).rejects.toThrow(/2_bad.sql failed/);
      const tables = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'kept_out'");
      expect(tables.rows).toEqual([]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('opening a database', () => {
  it('says clearly when PostgreSQL cannot be reached', async () => {
    const attempt = openDatabase({ url: 'postgres://nobody:secret@127.0.0.1:1/none', connectTimeoutMs: 2000 });
    await expect(attempt).rejects.toThrow(DatabaseUnavailableError);
    await expect(
      openDatabase({ url: 'postgres://nobody:secret@127.0.0.1:1/none', connectTimeoutMs: 2000 }),
    ).rejects.toThrow(/Cannot reach PostgreSQL at postgres:\/\/nobody:\*\*\*@127.0.0.1:1\/none/);
  });

  it('refuses a migration table name that is not an identifier', async () => {
    const db = await openDatabase({ dataDir: 'memory' });
    try {
      await expect(migrate(db, '.', { table: 'x; DROP TABLE y' })).rejects.toThrow(MigrationError);
    } finally {
      await db.close();
    }
  });
});
