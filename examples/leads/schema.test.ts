import { readFile } from 'node:fs/promises';
import { migrate } from 'switchboard-mcp/sql';
import { createTestDatabase, type TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { MIGRATIONS } from './database.js';
import { readSchemaCatalog, schemaOverviewMarkdown, tableMarkdown } from './schema-catalog.js';
import { currentSchemaSection, README, schemaSection } from './schema-doc.js';

const APP_SCHEMAS = [
  'crm',
  'voice',
  'billing',
  'healthcare',
  'real_estate',
  'salon',
  'hospitality',
  'home_services',
  'automotive',
  'reporting',
];

describe.each(sqlEngines())('leads schema on $name', ({ url }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ url, extensions: ['pg_trgm'] });
  });
  afterAll(() => db?.dispose());

  it('applies every migration once, and a second run changes nothing', async () => {
    const first = await migrate(db, MIGRATIONS);
    expect(first.applied.length).toBeGreaterThanOrEqual(16);
    const second = await migrate(db, MIGRATIONS);
    expect(second.applied).toEqual([]);
    expect(second.skipped).toEqual(first.applied);
    // Eighteen files on an empty PGlite take longer than the default 20 s on a busy shared machine.
  }, 90_000);

  it('has at least 115 tables across the CRM, voice, billing, six vertical and reporting schemas, each commented', async () => {
    const { rows } = await db.query<{ schema: string; table: string; comment: string | null }>(
      `SELECT n.nspname AS schema, c.relname AS table, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = ANY ($1)`,
      [APP_SCHEMAS],
    );
    expect(rows.length).toBeGreaterThanOrEqual(115);
    expect(rows.filter((row) => !row.comment?.trim()).map((row) => `${row.schema}.${row.table}`)).toEqual([]);
    const perSchema = new Map<string, number>();
    for (const row of rows) perSchema.set(row.schema, (perSchema.get(row.schema) ?? 0) + 1);
    for (const vertical of ['healthcare', 'real_estate', 'salon', 'hospitality', 'home_services', 'automotive']) {
      expect(perSchema.get(vertical), vertical).toBeGreaterThanOrEqual(10);
    }
  });

  it('links the tables with foreign keys and indexes the referencing columns of the busiest ones', async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND n.nspname = ANY ($1)`,
      [APP_SCHEMAS],
    );
    expect(rows[0]!.n).toBeGreaterThan(200);
    const indexes = await db.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'crm' AND tablename IN ('leads', 'lead_phone_numbers', 'email_addresses', 'companies', 'notes')`,
    );
    const defs = indexes.rows.map((row) => row.indexdef).join('\n');
    expect(defs).toMatch(/leads_full_name_trgm_idx .*gin \(full_name gin_trgm_ops\)/);
    expect(defs).toMatch(/companies_name_trgm_idx .*gin \(name gin_trgm_ops\)/);
    expect(defs).toMatch(/email_addresses_address_trgm_idx .*gin \(address gin_trgm_ops\)/);
    expect(defs).toMatch(/notes_body_tsv_idx .*gin \(body_tsv\)/);
    expect(defs).toMatch(/lead_phone_numbers_phone_idx .*\(phone_number_id\)/);
  });

  it('turns on row-level security for leads and every rollup, for the leads_reader role', async () => {
    const { rows } = await db.query<{ table: string; policy: string; roles: string }>(
      `SELECT schemaname || '.' || tablename AS table, policyname AS policy, array_to_string(roles, ',') AS roles FROM pg_policies ORDER BY 1`,
    );
    expect(rows).toEqual([
      { table: 'crm.leads', policy: 'leads_of_caller_teams', roles: 'leads_reader' },
      { table: 'reporting.pipeline_stage_monthly', policy: 'monthly_of_caller_teams', roles: 'leads_reader' },
      {
        table: 'reporting.pipeline_stage_monthly_team',
        policy: 'monthly_team_of_caller_teams',
        roles: 'leads_reader',
      },
      { table: 'reporting.pipeline_stage_snapshot', policy: 'snapshot_of_caller_teams', roles: 'leads_reader' },
    ]);
  });

  it('masks phone numbers and emails, and escapes LIKE wildcards in search terms', async () => {
    const { rows } = await db.query(
      `SELECT crm.mask_phone('+14155550123') AS us, crm.mask_phone('+442079460018') AS uk,
              crm.mask_email('jane.doe@example.com') AS email, crm.contains_pattern('50%_off\\') AS pattern`,
    );
    expect(rows[0]).toEqual({
      us: '+1 ***-***-23',
      uk: '+44********18',
      email: 'j***@example.com',
      pattern: '%50\\%\\_off\\\\%',
    });
  });

  it('documents itself: the README schema section is what the catalog says now (npm run schema-doc)', async () => {
    const schemas = await readSchemaCatalog(db);
    expect(schemas.map((schema) => schema.name)).toEqual(APP_SCHEMAS);
    // Compared without the column padding biome adds to Markdown tables.
    const unpadded = (markdown: string | undefined) =>
      markdown?.replace(/ +\|/g, ' |').replace(/\| +/g, '| ').replace(/-{3,}/g, '---');
    expect(unpadded(currentSchemaSection(await readFile(README, 'utf8')))).toBe(unpadded(schemaSection(schemas)));
    expect(schemaOverviewMarkdown(schemas)).toContain('| `crm.leads` | Prospective customers');
    const leads = schemas[0]!.tables.find((table) => table.name === 'crm.leads')!;
    expect(tableMarkdown(leads)).toContain('| `owner_id` | integer | yes | crm.owners(id) |');
    expect(tableMarkdown(leads)).toContain(
      '| `estimated_mrr_cents` | integer | no |  | Expected monthly recurring revenue',
    );
  });
});
