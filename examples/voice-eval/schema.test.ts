import { migrate } from 'switchboard-mcp/sql';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { MIGRATIONS } from './src/prepare-database.js';
import { SETUP_TIMEOUT_MS } from './test-support/seeded-database.js';

const TABLES = [
  'agent_versions',
  'agents',
  'assertion_kinds',
  'assertions',
  'case_results',
  'eval_runs',
  'seed_info',
  'suites',
  'test_case_checks',
  'test_cases',
];

describe.each(sqlEngines())('voice-eval schema on $name', ({ url }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ url });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => db.dispose());

  it('applies the migrations in order, once', async () => {
    const first = await migrate(db, MIGRATIONS);
    expect(first.applied).toEqual([
      '001_agents.sql',
      '002_suites.sql',
      '003_eval_runs.sql',
      '004_case_results.sql',
      '005_seed_info.sql',
    ]);
    expect((await migrate(db, MIGRATIONS)).applied).toEqual([]);
  });

  it('describes every table and the columns a model must understand', async () => {
    const tables = await db.query<{ name: string; comment: string | null }>(
      `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'switchboard_migrations' ORDER BY 1`,
    );
    expect(tables.rows.map((t) => t.name)).toEqual(TABLES);
    for (const table of tables.rows) expect(table.comment, table.name).toMatch(/\w{4,}/);
    const columns = await db.query<{ column: string }>(
      `SELECT a.attname AS column FROM pg_attribute a
       WHERE a.attrelid = 'case_results'::regclass AND col_description(a.attrelid, a.attnum) IS NOT NULL`,
    );
    expect(columns.rows.map((c) => c.column)).toEqual(
      expect.arrayContaining(['time_to_first_audio_ms', 'interruptions', 'wer', 'transcript']),
    );
  });

  it('links the tables with real foreign keys', async () => {
    const keys = await db.query<{ child: string; parent: string }>(
      `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
       FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2`,
    );
    expect(keys.rows).toEqual([
      { child: 'agent_versions', parent: 'agents' },
      { child: 'assertions', parent: 'assertion_kinds' },
      { child: 'assertions', parent: 'case_results' },
      { child: 'case_results', parent: 'eval_runs' },
      { child: 'case_results', parent: 'test_cases' },
      { child: 'eval_runs', parent: 'agent_versions' },
      { child: 'eval_runs', parent: 'suites' },
      { child: 'suites', parent: 'agents' },
      { child: 'test_case_checks', parent: 'assertion_kinds' },
      { child: 'test_case_checks', parent: 'test_cases' },
      { child: 'test_cases', parent: 'suites' },
    ]);
    await expect(
      db.query(
        `INSERT INTO eval_runs (suite_id, agent_version_id, trigger, git_sha, status, started_at, total_cases,
           passed_cases, failed_cases, errored_cases) VALUES (999, 999, 'nightly', $1, 'passed', now(), 1, 1, 0, 0)`,
        ['a'.repeat(40)],
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('derives the pass rate and refuses impossible totals', async () => {
    await db.exec(`
      INSERT INTO agents (id, slug, name, vertical, description, created_at)
        VALUES (1, 'a', 'A', 'salons', 'd', now());
      INSERT INTO agent_versions (id, agent_id, version, prompt_hash, llm_model, stt_provider, stt_model,
        tts_provider, tts_voice, changelog, released_at) VALUES (1, 1, 'v1', 'abcdef012345', 'm', 's', 's', 't', 't', 'c', now());
      INSERT INTO suites (id, agent_id, slug, name, description, created_at) VALUES (1, 1, 's', 'S', 'd', now());`);
    const insert = (passed: number, failed: number) =>
      db.query<{ pass_rate: number }>(
        `INSERT INTO eval_runs (suite_id, agent_version_id, trigger, git_sha, status, started_at, total_cases,
           passed_cases, failed_cases, errored_cases) VALUES (1, 1, 'nightly', $1, 'failed', now(), 4, $2, $3, 0)
         RETURNING pass_rate`,
        ['b'.repeat(40), passed, failed],
      );
    expect((await insert(3, 1)).rows[0]?.pass_rate).toBe(0.75);
    await expect(insert(4, 1)).rejects.toThrow(/check constraint/);
  });
});
