import type { Switchboard } from 'switchboard-mcp';
import { TestClient, type TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createLeadsServer } from './leads-server.js';
import { CALLERS, createLeadsTestDatabase } from './test-database.js';

type Row = { id: number; matched_on: string[]; relevance: number; created_at: string };
type Page = { rows: Row[]; truncated: boolean; nextCursor?: string };

// search_leads reads each lead's own copies of its company name, emails and notes: they must follow every change.
describe.each(sqlEngines())('search copies on $name', ({ url }) => {
  let db: TestDatabase;
  let server: Switchboard;
  let admin: TestClient;
  const searchPage = async (query: string, cursor?: string) => {
    const result = await admin.callTool('search_leads', { query, ...(cursor === undefined ? {} : { cursor }) });
    expect(result.isError).not.toBe(true);
    return result.structuredContent as Page;
  };
  const search = async (query: string) => (await searchPage(query)).rows;
  /** Gives the lead a company of its own, of this name (a company of the seed may have several leads). */
  const moveToNewCompany = async (leadId: number, name: string) => {
    await db.query(
      `WITH company AS (
         INSERT INTO crm.companies (name, vertical_id, timezone)
         SELECT $2, l.vertical_id, l.timezone FROM crm.leads l WHERE l.id = $1 RETURNING id
       )
       UPDATE crm.leads SET company_id = (SELECT id FROM company) WHERE id = $1`,
      [leadId, name],
    );
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

  // Eight characters or more of an address are found by their eight-character runs (migration 028), and checked.
  it('find an address by eight characters or more of it in any case, and only where they run in a row', async () => {
    await db.query(
      `INSERT INTO crm.email_addresses (lead_id, address)
       VALUES (19, 'quixotic.zebrafish@example.net'), (19, 'marmalade.xylophone@example.org')`,
    );
    expect(await hit('QUIXOTIC.Zebra', 19)).toEqual(['email']);
    expect(await hit('zebrafish@example.net', 19)).toEqual(['email']);
    expect(await hit('xylophone@', 19)).toEqual(['email']);
    expect(await hit('zebrafi', 19)).toEqual(['email']);
    // Both runs of eight are in the lead's addresses, but not in a row: no match.
    expect(await search('zebrafismarmalad')).toEqual([]);
    await db.query(`DELETE FROM crm.email_addresses WHERE lead_id = 19 AND address LIKE '%example.net'`);
    expect(await hit('quixotic.zebra', 19)).toBeUndefined();
    expect(await hit('marmalade.xylo', 19)).toEqual(['email']);
  });

  // Names and company names are matched through their distinct values (migration 023), kept by triggers on crm.leads.
  it('follow a renamed lead and a lead moved to a company of a new name', async () => {
    const { rows } = await db.query<{ full_name: string }>('SELECT full_name FROM crm.leads WHERE id = 13');
    await db.query(`UPDATE crm.leads SET last_name = 'Frobozzle' WHERE id = 13`);
    const renamed = (await search('frobozzle')).find((row) => row.id === 13);
    expect(renamed?.matched_on).toEqual(['name']);
    expect(renamed?.relevance).toBeGreaterThan(3);
    expect(await hit(rows[0]!.full_name, 13)).toBeUndefined();
    await moveToNewCompany(15, 'Zorbulon Smiles');
    expect(await hit('zorbulon', 15)).toEqual(['company']);
  });

  it('read the newest leads of a company name that more leads hold than a page, and page on inside it', async () => {
    // The first page reads at most a page and one of each value's leads, newest first; the next goes on from the
    // cursor's row inside the same value.
    await moveToNewCompany(31, 'Quokkaville Family Dental');
    await db.query(
      `UPDATE crm.leads SET company_id = (SELECT company_id FROM crm.leads WHERE id = 31) WHERE id BETWEEN 32 AND 57`,
    );
    const expected = (
      await db.query<{ id: number }>(
        `SELECT id FROM crm.leads WHERE company_name = 'Quokkaville Family Dental' ORDER BY created_at DESC, id DESC`,
      )
    ).rows.map((row) => row.id);
    expect(expected).toHaveLength(27);
    const first = await searchPage('Quokkaville Family Dental');
    expect([first.rows.length, first.truncated]).toEqual([20, true]);
    const second = await searchPage('Quokkaville Family Dental', first.nextCursor);
    expect(second.truncated).toBe(false);
    expect([...first.rows, ...second.rows].map((row) => row.id)).toEqual(expected);
    for (const row of first.rows) expect([row.relevance, row.matched_on]).toEqual([3, ['company']]);
  });

  it('rank company, then email-only, then note-only matches, each part newest first, across pages', async () => {
    // One lead's company and 24 leads' emails hold "wibblequark", and three more leads' notes: page one holds the
    // company match and 19 email-only matches, page two the other 4 and the note matches.
    await moveToNewCompany(30, 'Wibblequark Dental');
    await db.query(
      `INSERT INTO crm.email_addresses (lead_id, address)
       SELECT id, 'ops' || id || '.wibblequark@example.com' FROM crm.leads WHERE id BETWEEN 30 AND 53`,
    );
    await db.query(
      `INSERT INTO crm.notes (lead_id, body, created_at)
       SELECT id, 'Asked about wibblequark pricing', now() FROM crm.leads WHERE id BETWEEN 54 AND 56`,
    );
    const newest = async (where: string) =>
      (
        await db.query<{ id: number }>(`SELECT id FROM crm.leads WHERE ${where} ORDER BY created_at DESC, id DESC`)
      ).rows.map((row) => row.id);
    const first = await searchPage('wibblequark');
    expect(first.truncated).toBe(true);
    const second = await searchPage('wibblequark', first.nextCursor);
    expect(second.truncated).toBe(false);
    const rows = [...first.rows, ...second.rows];
    expect(rows.map((row) => row.id)).toEqual([
      30,
      ...(await newest('id BETWEEN 31 AND 53')),
      ...(await newest('id BETWEEN 54 AND 56')),
    ]);
    expect(rows[0]!.matched_on).toEqual(['company', 'email']);
    expect(rows[0]!.relevance).toBeGreaterThan(2);
    for (const row of rows.slice(1, 24)) expect([row.relevance, row.matched_on]).toEqual([1.5, ['email']]);
    for (const row of rows.slice(24)) expect([row.relevance, row.matched_on]).toEqual([1, ['note']]);
  });
});
