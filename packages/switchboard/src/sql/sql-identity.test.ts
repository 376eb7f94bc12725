import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqlEngines } from '../../../../test/support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../../../../test/support/sql-fixture.js';
import type { AuthInfo } from '../protocol/auth.js';
import { Switchboard } from '../server/switchboard.js';
import { TestClient } from '../testing/test-client.js';
import type { TestDatabase } from '../testing/test-database.js';
import { openDatabase } from './database.js';
import { sqlTool } from './sql-tool.js';

const caller = (subject: string, extra: Partial<AuthInfo> = {}): AuthInfo => ({
  subject,
  scopes: [],
  claims: {},
  ...extra,
});
const rowsOf = (result: { structuredContent?: unknown }) => (result.structuredContent as { rows: unknown[] }).rows;

describe.each(sqlEngines())('the caller inside the transaction on $name', ({ url }) => {
  let db: TestDatabase;
  let server: Switchboard;
  // Roles belong to the whole PostgreSQL cluster: a fresh name per run, dropped at the end.
  const role = `sb_reader_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await contactsDatabase(url);
    await db.exec(`CREATE ROLE ${role} NOLOGIN; GRANT SELECT ON notes, contacts TO ${role}; ANALYZE contacts;`);
    server = new Switchboard({ name: 'identity', version: '1.0.0' });
    await sqlTool(server, db, {
      name: 'my_notes',
      description: 'The caller’s notes',
      sql: 'SELECT id, body FROM notes ORDER BY id',
      identity: { role },
    });
    await sqlTool(server, db, {
      name: 'my_contact_count',
      description: 'How many contacts the caller owns',
      sql: 'SELECT count(*)::int AS n FROM contacts WHERE owner = :me',
      context: { me: (ctx) => ctx.auth.subject ?? null },
    });
    await sqlTool(server, db, {
      name: 'contacts_below',
      description: 'Contacts with an id below a bound',
      input: { below: z.number().int() },
      sql: 'SELECT id FROM contacts WHERE id < :below',
      costGuard: { maxRows: 10 },
    });
  }, SQL_SETUP_TIMEOUT);
  afterAll(async () => {
    await db.dispose();
    if (url !== undefined) {
      const admin = await openDatabase({ url, poolSize: 1 });
      await admin.exec(`DROP ROLE IF EXISTS ${role}`);
      await admin.close();
    }
  });

  it('applies row-level security per caller through the claims and the role', async () => {
    const alice = new TestClient(server, { auth: caller('alice') });
    expect(rowsOf(await alice.callTool('my_notes'))).toEqual([
      { id: 1, body: 'alice note' },
      { id: 3, body: 'second alice note' },
    ]);
    const bob = new TestClient(server, { auth: caller('bob') });
    expect(rowsOf(await bob.callTool('my_notes'))).toEqual([{ id: 2, body: 'bob note' }]);
    expect(rowsOf(await new TestClient(server).callTool('my_notes'))).toEqual([]);
  });

  it('sets claims, role, read-only, the timeout and JIT for the call only', async () => {
    // One connection, so that what the next query sees is what the call left behind on it.
    const one = url === undefined ? db : await openDatabase({ url: db.url, poolSize: 1 });
    const jitBefore = (await one.query<{ jit: string }>("SELECT current_setting('jit') AS jit")).rows[0]?.jit;
    await one.exec('SET jit = on');
    const single = new Switchboard({ name: 'identity', version: '1.0.0' });
    const whoami = `SELECT current_setting('request.jwt.claims', true)::jsonb AS claims, current_user AS role_name,
                   current_setting('transaction_read_only') AS read_only, current_setting('statement_timeout') AS timeout,
                   current_setting('jit') AS jit`;
    await sqlTool(single, one, {
      name: 'whoami',
      description: 'What the transaction knows of the caller',
      sql: whoami,
      identity: { role },
      timeoutMs: 1234,
    });
    await sqlTool(single, one, { name: 'compiled', description: 'Whether JIT is on', sql: whoami, jit: true });
    const client = new TestClient(single, {
      auth: caller('alice', { clientId: 'ops-agent', scopes: ['leads:read', 'leads:pii'], claims: { tenant: 't1' } }),
    });
    expect(rowsOf(await client.callTool('whoami'))).toEqual([
      {
        claims: { tenant: 't1', sub: 'alice', client_id: 'ops-agent', scope: 'leads:read leads:pii' },
        role_name: role,
        read_only: 'on',
        timeout: '1234ms',
        jit: 'off',
      },
    ]);
    expect(rowsOf(await client.callTool('compiled'))).toMatchObject([{ jit: 'on' }]);
    const after = await one.query<{ claims: string | null; role: string; ro: string; timeout: string; jit: string }>(
      "SELECT current_setting('request.jwt.claims', true) AS claims, current_user AS role, current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS timeout, current_setting('jit') AS jit",
    );
    expect(after.rows[0]).toEqual({
      claims: after.rows[0]?.claims ?? null,
      role: 'postgres',
      ro: 'off',
      timeout: '0',
      jit: 'on',
    });
    expect(after.rows[0]?.claims ?? '').toBe('');
    await one.exec(`SET jit = ${jitBefore === 'off' ? 'off' : 'on'}`);
    if (one !== db) await one.close();
  });

  it('binds context values the model cannot set', async () => {
    const alice = new TestClient(server, { auth: caller('alice') });
    expect(rowsOf(await alice.callTool('my_contact_count'))).toEqual([{ n: 25 }]);
    expect(rowsOf(await new TestClient(server).callTool('my_contact_count'))).toEqual([{ n: 0 }]);
    const { tools } = await alice.listTools();
    expect(tools.find((t) => t.name === 'my_contact_count')?.inputSchema).toMatchObject({ properties: {} });
  });

  it('refuses a call the planner expects to be too large, and runs a narrow one', async () => {
    const client = new TestClient(server);
    const wide = await client.callTool('contacts_below', { below: 1000 });
    expect(wide.isError).toBe(true);
    expect((wide.content[0] as { text: string }).text).toMatch(
      /^Tool "contacts_below" did not run this request: the database estimates it matches about \d+ rows, more than its limit of 10/,
    );
    expect(rowsOf(await client.callTool('contacts_below', { below: 4 }))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
