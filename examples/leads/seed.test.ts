import { isValidPhoneNumber } from 'libphonenumber-js';
import type { Database } from 'switchboard-mcp/sql';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { seedLeadsDatabase } from './seed/index.js';
import { createLeadsTestDatabase } from './test-database.js';

/** A digest of every row of the tables the generator writes, to compare two seeds. */
async function digest(db: Database, tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await db.query<{ md5: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${table} t`,
    );
    out[table] = rows[0]!.md5;
  }
  return out;
}

const DIGESTED = [
  'crm.leads',
  'crm.phone_numbers',
  'crm.lead_phone_numbers',
  'crm.lead_stage_history',
  'crm.notes',
  'voice.calls',
  'voice.call_transcripts',
  'billing.subscriptions',
  'healthcare.appointments',
  '(SELECT month, stage_id, team_id, owner_id, entered, exited, advanced, lost, seconds_in_stage FROM reporting.pipeline_stage_monthly)',
];
const digests: Record<string, Record<string, string>> = {};

describe.each(sqlEngines())('leads seed on $name', ({ name, url }) => {
  let db: TestDatabase;
  let seeded: Record<string, string>;
  beforeAll(async () => {
    db = await createLeadsTestDatabase(url, { leads: 400 });
    seeded = await digest(db, DIGESTED);
  }, 120_000);
  afterAll(() => db?.dispose());

  it('writes realistic volumes: leads, ~1.2 phone numbers each, stage history, engagement and vertical data', async () => {
    const { rows } = await db.query<
      Record<
        'leads' | 'phones' | 'history' | 'activities' | 'accounts' | 'appointments' | 'showings' | 'verticals',
        number
      >
    >(
      `SELECT (SELECT count(*) FROM crm.leads) AS leads, (SELECT count(*) FROM crm.phone_numbers) AS phones,
              (SELECT count(*) FROM crm.lead_stage_history) AS history, (SELECT count(*) FROM crm.activities) AS activities,
              (SELECT count(*) FROM billing.accounts) AS accounts, (SELECT count(*) FROM healthcare.appointments) AS appointments,
              (SELECT count(*) FROM real_estate.showings) AS showings, (SELECT count(DISTINCT vertical_id) FROM crm.leads) AS verticals`,
    );
    const counts = rows[0]!;
    expect(counts.leads).toBe(400);
    expect(counts.phones / counts.leads).toBeGreaterThan(1.05);
    expect(counts.phones / counts.leads).toBeLessThan(1.5);
    expect(counts.history).toBeGreaterThan(counts.leads * 2);
    expect(counts.activities).toBeGreaterThan(counts.leads * 4);
    expect(counts.accounts).toBeGreaterThan(0);
    expect(counts.verticals).toBe(6);
    expect(counts.appointments + counts.showings).toBeGreaterThan(0);
  });

  it('fills every table of every schema', async () => {
    const { rows } = await db.query<{ table: string }>(
      `SELECT n.nspname || '.' || c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')`,
    );
    const empty: string[] = [];
    for (const { table } of rows) {
      const { rows: found } = await db.query(`SELECT 1 FROM ${table} LIMIT 1`);
      if (found.length === 0) empty.push(table);
    }
    expect(empty).toEqual([]);
  });

  it('leaves no dangling foreign key (the bulk load skips the checks, so every one is checked here)', async () => {
    const { rows: fks } = await db.query<{
      child: string;
      parent: string;
      child_cols: string[];
      parent_cols: string[];
    }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
              array(SELECT attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY i) AS child_cols,
              array(SELECT attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY i) AS parent_cols
       FROM pg_constraint c WHERE c.contype = 'f'`,
    );
    expect(fks.length).toBeGreaterThan(200);
    const dangling: string[] = [];
    for (const fk of fks) {
      const notNull = fk.child_cols.map((col) => `c.${col} IS NOT NULL`).join(' AND ');
      const join = fk.child_cols.map((col, i) => `p.${fk.parent_cols[i]} = c.${col}`).join(' AND ');
      const { rows } = await db.query(
        `SELECT 1 FROM ${fk.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE ${join}) LIMIT 1`,
      );
      if (rows.length > 0) dangling.push(`${fk.child}(${fk.child_cols}) -> ${fk.parent}`);
    }
    expect(dangling).toEqual([]);
  });

  it('writes valid E.164 numbers, and one main line shared by leads 1, 2 and 3', async () => {
    const { rows } = await db.query<{ e164: string; country_code: string }>(
      'SELECT e164, country_code FROM crm.phone_numbers',
    );
    const invalid = rows.filter((row) => !isValidPhoneNumber(row.e164));
    expect(invalid.length / rows.length).toBeLessThan(0.01);
    expect(new Set(rows.map((row) => row.country_code))).toContain('US');
    const shared = await db.query<{ e164: string; leads: number[] }>(
      `SELECT p.e164, array_agg(lp.lead_id::int ORDER BY lp.lead_id) AS leads FROM crm.phone_numbers p
       JOIN crm.lead_phone_numbers lp ON lp.phone_number_id = p.id GROUP BY p.e164 HAVING count(*) > 1 ORDER BY min(lp.lead_id)`,
    );
    expect(shared.rows[0]!.leads).toEqual([1, 2, 3]);
  });

  it('keeps the maintained rollups equal to a fresh GROUP BY, through inserts, stage changes and deletes', async () => {
    const rollups = `SELECT (SELECT md5(string_agg(m::text, '|' ORDER BY m::text)) FROM (SELECT month, stage_id, team_id, owner_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents FROM reporting.pipeline_stage_monthly WHERE entered <> 0 OR exited <> 0) m) AS monthly,
                            (SELECT md5(string_agg(s::text, '|' ORDER BY s::text)) FROM (SELECT stage_id, team_id, owner_id, lead_count, mrr_cents, entered_epoch_sum FROM reporting.pipeline_stage_snapshot WHERE lead_count <> 0) s) AS snapshot,
                            (SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT month, stage_id, team_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents FROM reporting.pipeline_stage_monthly_team WHERE entered <> 0 OR exited <> 0) t) AS team`;
    // Move the first open lead to its pipeline's next stage, the way the CRM does it; delete another lead outright.
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number; next: number }>(
        `SELECT l.id, n.id AS next FROM crm.leads l JOIN crm.pipeline_stages s ON s.id = l.stage_id
         JOIN crm.pipeline_stages n ON n.pipeline_id = s.pipeline_id AND n.position = s.position + 1
         WHERE s.stage_kind NOT IN ('won', 'lost') ORDER BY l.id LIMIT 1`,
      );
      const { id, next } = rows[0]!;
      await tx.query(
        `UPDATE crm.lead_stage_history SET exited_at = now(), next_stage_id = $2 WHERE lead_id = $1 AND exited_at IS NULL`,
        [id, next],
      );
      await tx.query(
        `INSERT INTO crm.lead_stage_history (lead_id, pipeline_id, stage_id, team_id, owner_id, estimated_mrr_cents, entered_at)
         SELECT id, pipeline_id, $2, team_id, owner_id, estimated_mrr_cents, now() FROM crm.leads WHERE id = $1`,
        [id, next],
      );
      await tx.query(
        `UPDATE crm.leads SET stage_id = $2, stage_entered_at = now(), estimated_mrr_cents = estimated_mrr_cents + 1000 WHERE id = $1`,
        [id, next],
      );
      await tx.query(`UPDATE crm.leads SET last_activity_at = now()`);
      const doomed = await tx.query<{ id: number }>(
        `SELECT id FROM crm.leads l WHERE NOT EXISTS (SELECT 1 FROM billing.trials t WHERE t.lead_id = l.id) ORDER BY id DESC LIMIT 1`,
      );
      const deleted = await tx.query('DELETE FROM crm.leads WHERE id = $1', [doomed.rows[0]!.id]);
      expect(deleted.rowCount).toBe(1);
    });
    const maintained = (await db.query(rollups)).rows[0];
    await db.query('SELECT reporting.rebuild_pipeline_rollups()');
    const rebuilt = (await db.query(rollups)).rows[0];
    expect(maintained).toEqual(rebuilt);
  });

  it('is deterministic: the same seed gives the same rows, on either engine', async () => {
    const fresh = await createLeadsTestDatabase(url, { leads: 400 });
    try {
      const again = await digest(fresh, DIGESTED);
      digests[name] = again;
      expect(again).toEqual(seeded);
      const other = Object.entries(digests).find(([engine]) => engine !== name);
      if (other !== undefined) expect(again).toEqual(other[1]);
    } finally {
      await fresh.dispose();
    }
  }, 120_000);

  it('seeds once: a second run finds the finished load and writes nothing', async () => {
    expect(await seedLeadsDatabase(db, { leads: 400 })).toEqual({ seeded: false, leads: 0, rows: 0 });
  });
});
