import type { Switchboard } from 'switchboard-mcp';
import { TestClient, type TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createLeadsServer } from './leads-server.js';
import { CALLERS, createLeadsTestDatabase } from './test-database.js';

type Page = { rows: { id: number; matched_on: string[] }[] };

// search_leads reads each lead's own copies of its company name, emails and notes: they must follow every change.
describe.each(sqlEngines())('search copies on $name', ({ url }) => {
  let db: TestDatabase;
  let server: Switchboard;
  let admin: TestClient;
  const search = async (query: string) => {
    const result = await admin.callTool('search_leads', { query });
    expect(result.isError).not.toBe(true);
    return (result.structuredContent as Page).rows;
  };
  const hit = async (query: string, id: number) => (await search(query)).find((row) => row.id === id)?.matched_on;

  beforeAll(async () => {
    db = await createLeadsTestDatabase(url, { leads: 60 });
    server = await createLeadsServer(db, { cursorSecret: 'x'.repeat(32) });
    admin = new TestClient(server, { auth: CALLERS.admin });
  }, 120_000);
  afterAll(() => db?.dispose());

  it('were filled by the seed for every lead', async () => {
    const { rows } = await db.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM crm.leads l
       WHERE l.company_name IS DISTINCT FROM (SELECT c.name FROM crm.companies c WHERE c.id = l.company_id)
          OR (l.email_text IS NULL) <> NOT EXISTS (SELECT 1 FROM crm.email_addresses e WHERE e.lead_id = l.id)
          OR (l.notes_tsv IS NULL) <> NOT EXISTS (SELECT 1 FROM crm.notes n WHERE n.lead_id = l.id)`,
    );
    expect(rows[0]!.missing).toBe(0);
  });

  it('follow a new, changed and deleted note', async () => {
    await db.query(
      `INSERT INTO crm.notes (lead_id, body, created_at) VALUES (7, 'Wants the zyxwvut integration', now())`,
    );
    expect(await hit('zyxwvut', 7)).toEqual(['note']);
    await db.query(`UPDATE crm.notes SET body = 'Wants the qponmlk integration' WHERE body LIKE '%zyxwvut%'`);
    expect(await hit('zyxwvut', 7)).toBeUndefined();
    expect(await hit('qponmlk', 7)).toEqual(['note']);
    await db.query(`DELETE FROM crm.notes WHERE body LIKE '%qponmlk%'`);
    expect(await hit('qponmlk', 7)).toBeUndefined();
  });

  it('follow a new and deleted email address, and a renamed company', async () => {
    await db.query(`INSERT INTO crm.email_addresses (lead_id, address) VALUES (9, 'ops@quuxfrobnicate.example')`);
    expect(await hit('quuxfrobnicate', 9)).toEqual(['email']);
    await db.query(`DELETE FROM crm.email_addresses WHERE address = 'ops@quuxfrobnicate.example'`);
    expect(await hit('quuxfrobnicate', 9)).toBeUndefined();
    const { rows } = await db.query<{ id: number }>('SELECT company_id AS id FROM crm.leads WHERE id = 11');
    await db.query(`UPDATE crm.companies SET name = 'Blorptastic Dental Group' WHERE id = $1`, [rows[0]!.id]);
    expect(await hit('blorptastic', 11)).toContain('company');
  });
});
