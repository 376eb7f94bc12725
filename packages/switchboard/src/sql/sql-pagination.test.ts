import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { sqlEngines } from '../../../../test/support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../../../../test/support/sql-fixture.js';
import { Switchboard } from '../server/switchboard.js';
import { TestClient } from '../testing/test-client.js';
import type { TestDatabase } from '../testing/test-database.js';
import { prepareQuery } from './prepare-query.js';
import { sqlTool } from './sql-tool.js';

type Page = { rows: { id: number }[]; truncated: boolean; nextCursor?: string };
const textOf = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

describe.each(sqlEngines())('keyset pagination on $name', ({ url }) => {
  let db: TestDatabase;
  let client: TestClient;

  beforeAll(async () => {
    db = await contactsDatabase(url);
    const server = new Switchboard({ name: 'pages', version: '1.0.0' });
    await sqlTool(server, db, {
      name: 'list_contacts',
      description: 'Contacts of one owner, a page at a time',
      input: { owner: z.enum(['alice', 'bob']), sort: z.enum(['newest', 'name', 'mixed']).default('newest') },
      sql: 'SELECT id, name, created_at FROM contacts WHERE owner = :owner',
      orderBy: { sort: { newest: 'created_at DESC, id DESC', name: 'name, id', mixed: 'created_at DESC, id' } },
      paginate: true,
      maxRows: 4,
    });
    await sqlTool(server, db, {
      name: 'list_ids',
      description: 'All contact ids',
      sql: 'SELECT id FROM contacts',
      orderBy: 'id',
      paginate: { ttlMs: 60_000 },
      maxRows: 10,
    });
    client = new TestClient(server);
  }, SQL_SETUP_TIMEOUT);
  afterAll(() => db.dispose());
  afterEach(() => vi.useRealTimers());

  async function walk(args: Record<string, unknown>): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const result = await client.callTool('list_contacts', cursor === undefined ? args : { ...args, cursor });
      const page = result.structuredContent as Page;
      ids.push(...page.rows.map((row) => row.id));
      expect(page.truncated).toBe(page.nextCursor !== undefined);
      if (page.nextCursor === undefined) return ids;
      cursor = page.nextCursor;
    }
    throw new Error('pagination did not end');
  }

  it.each([
    ['newest', 'created_at DESC, id DESC'],
    ['name', 'name, id'],
    ['mixed', 'created_at DESC, id'],
  ])('walks every row once in %s order, ties on microsecond timestamps included', async (sort, order) => {
    const expected = (
      await db.query<{ id: number }>(`SELECT id FROM contacts WHERE owner = 'alice' ORDER BY ${order}`)
    ).rows.map((row) => row.id);
    expect(expected).toHaveLength(25);
    expect(await walk({ owner: 'alice', sort })).toEqual(expected);
  });

  it('refuses a tampered cursor, saying what to do', async () => {
    const first = (await client.callTool('list_contacts', { owner: 'bob' })).structuredContent as Page;
    const cursor = first.nextCursor as string;
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    for (const bad of [tampered, 'not-a-cursor', '', `${cursor}x`, cursor.split('.')[0] as string]) {
      const result = await client.callTool('list_contacts', { owner: 'bob', cursor: bad });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^The cursor is not valid: .*Call "list_contacts" again without a cursor/);
    }
  });

  it('refuses a cursor made for other arguments or another tool', async () => {
    const bobs = (await client.callTool('list_contacts', { owner: 'bob' })).structuredContent as Page;
    const other = await client.callTool('list_contacts', { owner: 'alice', cursor: bobs.nextCursor });
    expect(textOf(other)).toMatch(/^The cursor was made for different arguments/);
    const ids = (await client.callTool('list_ids')).structuredContent as Page;
    const foreign = await client.callTool('list_contacts', { owner: 'bob', cursor: ids.nextCursor });
    expect(textOf(foreign)).toMatch(/it belongs to tool "list_ids"/);
  });

  it('refuses an expired cursor with the time it expired', async () => {
    const page = (await client.callTool('list_ids')).structuredContent as Page;
    expect(page.rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const result = await client.callTool('list_ids', { cursor: page.nextCursor });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^The cursor expired at \d{4}-\d\d-\d\dT.*Call "list_ids" again without a cursor/);
    vi.useRealTimers();
    const next = (await client.callTool('list_ids', { cursor: page.nextCursor })).structuredContent as Page;
    expect(next.rows[0]).toEqual({ id: 11 });
  });

  it('lists the cursor argument and nextCursor in the schemas', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'list_contacts');
    expect(tool?.inputSchema.properties).toHaveProperty('cursor');
    expect(tool?.outputSchema?.properties).toHaveProperty('nextCursor');
  });

  it('makes the cursor after any row of a page, for a handler that cuts its page short', async () => {
    const query = await prepareQuery(db, {
      name: 'list_contacts',
      input: { owner: z.enum(['alice', 'bob']) },
      sql: 'SELECT id, name, created_at FROM contacts WHERE owner = :owner',
      orderBy: 'created_at DESC, id DESC',
      paginate: true,
      maxRows: 10,
    });
    const first = await query.run({ owner: 'alice' });
    const cursor = query.cursorAfter({ owner: 'alice' }, first.rows[2]!);
    expect(cursor).toBeTypeOf('string');
    const next = await query.run({ owner: 'alice', cursor: cursor as string });
    // The rows after the cut come next, as on the page that was cut, and the page is full again.
    expect(next.rows.slice(0, 7).map((row) => row.id)).toEqual(first.rows.slice(3).map((row) => row.id));
    expect(next.rows).toHaveLength(10);
    // Bound to the arguments like any cursor of the query.
    await expect(query.run({ owner: 'bob', cursor: cursor as string })).rejects.toThrow(/made for different arguments/);
    const unpaginated = await prepareQuery(db, { name: 'ids', sql: 'SELECT id FROM contacts', orderBy: 'id' });
    expect(unpaginated.cursorAfter(undefined as never, { id: 1 })).toBeUndefined();
  });
});
