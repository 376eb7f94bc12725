import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqlEngines } from '../../../../test/support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../../../../test/support/sql-fixture.js';
import { onCallTool } from '../server/middleware/helpers.js';
import { Switchboard } from '../server/switchboard.js';
import { captureLogs } from '../testing/capture-logs.js';
import { TestClient } from '../testing/test-client.js';
import type { TestDatabase } from '../testing/test-database.js';
import { sql } from './named-params.js';
import { sqlTool } from './sql-tool.js';

const textOf = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

describe.each(sqlEngines())('sqlTool on $name', ({ url }) => {
  let db: TestDatabase;
  let server: Switchboard;
  let client: TestClient;
  const logs = captureLogs('error');

  beforeAll(async () => {
    db = await contactsDatabase(url);
    server = new Switchboard({ name: 'sql-test', version: '1.0.0', logger: logs.logger });
    await sqlTool(server, db, {
      name: 'get_contact_by_phone',
      description: 'A contact by phone number',
      input: { phone: z.string().describe('E.164 number') },
      sql: 'SELECT id, name, phone, stage, created_at, born, score, visits, vip, tags, meta FROM contacts WHERE phone = :phone',
    });
    await sqlTool(server, db, {
      name: 'search_contacts',
      description: 'Contacts whose name contains the text',
      input: { q: z.string(), owner: z.string().optional() },
      sql: (p) => sql`SELECT id, name FROM contacts
                      WHERE name ILIKE '%' || ${p.q} || '%' AND (${p.owner}::text IS NULL OR owner = ${p.owner})
                      ORDER BY id`,
      maxRows: 5,
    });
    await sqlTool(server, db, {
      name: 'get_contact',
      description: 'One contact by id',
      input: { id: z.number().int() },
      sql: 'SELECT id, name FROM contacts WHERE id = :id',
      result: 'one',
      notFound: 'No contact with that id. Use search_contacts to find one.',
    });
    await sqlTool(server, db, {
      name: 'count_up',
      description: 'Counts for ever',
      // A recursive CTE is read lazily: only the LIMIT the gateway adds stops it.
      sql: 'WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c) SELECT g FROM c',
      maxRows: 3,
    });
    await sqlTool(server, db, {
      name: 'big_rows',
      description: 'Rows with long text',
      sql: "SELECT id, repeat('x', 1000) AS filler FROM contacts ORDER BY id",
      maxRows: 50,
      maxBytes: 4_000,
    });
    await sqlTool(server, db, {
      name: 'contacts_by_ids_and_tags',
      description: 'Contacts with any of these ids that carry any of these tags',
      input: { ids: z.array(z.number().int()), tags: z.array(z.string()), meta: z.record(z.string(), z.number()) },
      sql: 'SELECT id, tags FROM contacts WHERE id = ANY(:ids) AND tags && :tags AND meta @> :meta ORDER BY id',
    });
    await sqlTool(server, db, {
      name: 'durations',
      description: 'Durations and bytes in fixed text forms',
      sql: "SELECT interval '1 day 2 hours' AS span, '\\x0102'::bytea AS raw, date '2024-02-29' AS day",
    });
    await sqlTool(server, db, {
      name: 'divide',
      description: 'Divides 100 by n',
      input: { n: z.number().int() },
      sql: 'SELECT 100 / :n AS quotient',
    });
    await sqlTool(server, db, {
      name: 'born_after',
      description: 'Contacts born after a date',
      input: { after: z.string().describe('YYYY-MM-DD') },
      sql: 'SELECT id FROM contacts WHERE born > :after ORDER BY id',
    });
    client = new TestClient(server);
  }, SQL_SETUP_TIMEOUT);
  afterAll(() => db.dispose());

  it('binds the parameter and returns typed rows, the same on both engines', async () => {
    const result = await client.callTool('get_contact_by_phone', { phone: '+14155550004' });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({
      rows: [
        {
          id: 4,
          name: 'Contact 4',
          phone: '+14155550004',
          stage: 'trial',
          created_at: '2024-01-01T02:00:00.123456+00:00',
          born: '1990-01-05',
          score: '5.00',
          visits: 4_000_000_000_000,
          vip: false,
          tags: ['t0'],
          meta: { n: 4 },
        },
      ],
      truncated: false,
    });
    expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
  });

  it('reads intervals, bytes and dates in fixed text forms whatever the server defaults', async () => {
    expect((await client.callTool('durations')).structuredContent).toEqual({
      rows: [{ span: 'P1DT2H', raw: '\\x0102', day: '2024-02-29' }],
      truncated: false,
    });
  });

  it('lists read-only annotations and an output schema derived from the columns', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'get_contact_by_phone') as Record<string, unknown>;
    expect(tool.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    const row = (tool.outputSchema as { properties: { rows: { items: { properties: Record<string, unknown> } } } })
      .properties.rows.items.properties;
    expect(row).toMatchObject({
      id: { type: ['integer', 'null'] },
      stage: { type: ['string', 'null'], enum: ['new', 'trial', 'customer', null] },
      created_at: { type: ['string', 'null'] },
      score: { type: ['string', 'null'] },
      visits: { type: ['integer', 'string', 'null'] },
      vip: { type: ['boolean', 'null'] },
      tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
      meta: {},
    });
    expect(tool.inputSchema).toMatchObject({ properties: { phone: { type: 'string', description: 'E.164 number' } } });
  });

  it('pushes the row limit into the SQL and marks the result truncated', async () => {
    // Without LIMIT n+1 in the statement this would never end.
    const result = await client.callTool('count_up');
    expect(result.structuredContent).toEqual({ rows: [{ g: 1 }, { g: 2 }, { g: 3 }], truncated: true });
    const few = await client.callTool('search_contacts', { q: 'Contact', owner: 'alice' });
    expect(few.structuredContent).toEqual({
      rows: [2, 4, 6, 8, 10].map((id) => ({ id, name: `Contact ${id}` })),
      truncated: true,
    });
    const all = await client.callTool('search_contacts', { q: 'Contact 7' });
    expect(all.structuredContent).toEqual({ rows: [{ id: 7, name: 'Contact 7' }], truncated: false });
  });

  it('drops whole rows past the byte cap', async () => {
    const result = await client.callTool('big_rows');
    const { rows, truncated } = result.structuredContent as { rows: { id: number }[]; truncated: boolean };
    expect(truncated).toBe(true);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(Buffer.byteLength(textOf(result))).toBeLessThanOrEqual(4_000);
  });

  it('returns one row, or the not-found message', async () => {
    expect((await client.callTool('get_contact', { id: 7 })).structuredContent).toEqual({ id: 7, name: 'Contact 7' });
    const missing = await client.callTool('get_contact', { id: 999 });
    expect(missing).toMatchObject({ isError: true });
    expect(textOf(missing)).toBe('No contact with that id. Use search_contacts to find one.');
  });

  it('treats injection attempts in every string parameter as plain values', async () => {
    const attacks = [
      "'; DROP TABLE contacts; --",
      "' OR '1'='1",
      "x'); DELETE FROM contacts; --",
      '$1',
      ':phone',
      "\\'; SELECT pg_sleep(10); --",
      "' UNION SELECT id, name FROM notes --",
    ];
    for (const attack of attacks) {
      expect((await client.callTool('get_contact_by_phone', { phone: attack })).structuredContent).toEqual({
        rows: [],
        truncated: false,
      });
      expect((await client.callTool('search_contacts', { q: attack })).structuredContent).toEqual({
        rows: [],
        truncated: false,
      });
      expect((await client.callTool('search_contacts', { q: 'Contact', owner: attack })).structuredContent).toEqual({
        rows: [],
        truncated: false,
      });
    }
    for (const attack of attacks) {
      const result = await client.callTool('contacts_by_ids_and_tags', {
        ids: [1, 2, 3],
        tags: [attack, `${attack}","t1`, 't1}', '{t2'],
        meta: { [attack]: 1 },
      });
      expect(result.structuredContent).toEqual({ rows: [], truncated: false });
    }
    expect((await db.query('SELECT count(*)::int AS n FROM contacts')).rows).toEqual([{ n: 50 }]);
  });

  it('binds arrays and JSON as whole values', async () => {
    const result = await client.callTool('contacts_by_ids_and_tags', {
      ids: [1, 5, 9, 13],
      tags: ['t1', 'x"y\\z'],
      meta: { n: 9 },
    });
    expect(result.structuredContent).toEqual({ rows: [{ id: 9, tags: ['t1'] }], truncated: false });
  });

  it('masks database errors: the model gets a correlation id, the log gets the cause', async () => {
    const result = await client.callTool('divide', { n: 0 });
    expect(result.isError).toBe(true);
    const correlationId = (result._meta as Record<string, string>)['dev.switchboard/correlationId'];
    expect(textOf(result)).toContain(`correlation id ${correlationId}`);
    expect(textOf(result)).not.toMatch(/division|SELECT|quotient/i);
    const logged = logs.lines.find((line) => line.correlationId === correlationId);
    expect(logged?.err?.message).toMatch(/division by zero/);
    expect((await client.callTool('divide', { n: 4 })).structuredContent).toEqual({
      rows: [{ quotient: 25 }],
      truncated: false,
    });
  });

  it('names the field when the database cannot read an argument as its type', async () => {
    const result = await client.callTool('born_after', { after: '1990-13-45' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Invalid arguments for tool "born_after":\n- after: expected a value PostgreSQL reads as date/,
    );
    const ok = await client.callTool('born_after', { after: '1990-02-18' });
    expect((ok.structuredContent as { rows: unknown[] }).rows).toEqual([{ id: 49 }, { id: 50 }]);
  });

  it('passes scopes to the framework, where middleware sees them on the target', async () => {
    const scoped = new Switchboard({ name: 'scoped', version: '1.0.0' });
    const seen: (readonly string[])[] = [];
    scoped.use(
      onCallTool((call, next) => {
        seen.push(call.target.scopes);
        return next();
      }),
    );
    await sqlTool(scoped, db, {
      name: 'count_contacts',
      description: 'How many contacts there are',
      sql: 'SELECT count(*)::int AS n FROM contacts',
      scopes: ['leads:read'],
    });
    const result = await new TestClient(scoped).callTool('count_contacts');
    expect(result.structuredContent).toEqual({ rows: [{ n: 50 }], truncated: false });
    expect(seen).toEqual([['leads:read']]);
  });

  it('gives schema-violating arguments the framework error naming the field', async () => {
    const result = await client.callTool('get_contact', { id: 'seven' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('- id: expected');
  });
});
