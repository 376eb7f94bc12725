import type { Database, Queryable } from 'switchboard-mcp/sql';
import { DEFAULT_FAKER_SEED, generateSeed } from './generate.js';
import type { SeedRows } from './seed-rows.js';

export interface SeedOptions {
  /** The moment the data is relative to (default: now). Pass a fixed one for reproducible rows. */
  now?: Date;
  /** Faker seed (default 7922). */
  fakerSeed?: number;
  /** Empty the seeded tables first, in the same transaction (to refresh an earlier seed). */
  replace?: boolean;
}

/** How many rows of each table a seed wrote, and the night its newest runs belong to. */
export interface SeedSummary {
  readonly anchor: Date;
  readonly counts: Readonly<Record<Exclude<keyof SeedRows, 'anchor'>, number>>;
}

/** Column name and type of every seeded table, in insertion order (parents before children). */
const TABLES = {
  agents: 'id int, slug text, name text, vertical text, description text, created_at timestamptz',
  agent_versions:
    'id int, agent_id int, version text, prompt_hash text, llm_model text, stt_provider text, stt_model text, tts_provider text, tts_voice text, changelog text, released_at timestamptz',
  suites: 'id int, agent_id int, slug text, name text, description text, schedule text, created_at timestamptz',
  test_cases:
    'id int, suite_id int, slug text, title text, persona text, scenario text, rubric text, created_at timestamptz',
  test_case_checks: 'test_case_id int, kind text',
  eval_runs:
    'id int, suite_id int, agent_version_id int, trigger text, git_sha text, status text, started_at timestamptz, finished_at timestamptz, total_cases int, passed_cases int, failed_cases int, errored_cases int, p50_latency_ms int, p95_latency_ms int, cost_usd numeric',
  case_results:
    'id int, run_id int, test_case_id int, status text, score float8, duration_ms int, time_to_first_audio_ms int, avg_turn_latency_ms int, p95_turn_latency_ms int, turns int, interruptions int, wer float8, transcript jsonb, error text',
  assertions: 'id int, case_result_id int, kind text, passed boolean, expected text, actual text, reasoning text',
} as const satisfies Record<Exclude<keyof SeedRows, 'anchor'>, string>;

/** Rows per INSERT: one bound JSON parameter each, small enough for any server's limits. */
const CHUNK = 1_500;

/**
 * Writes the demo data set (30 nights of nightly runs for six agents, with the regressions `catalog.ts` describes)
 * into a migrated database (empty, or with `replace`), in one transaction. The same `now` and seed always write the same rows.
 */
export async function seedVoiceEval(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  const fakerSeed = options.fakerSeed ?? DEFAULT_FAKER_SEED;
  const rows = generateSeed(now, fakerSeed);
  await db.transaction(async (tx) => {
    // Everything the seed writes, and what references it; the assertion kinds are schema, not seed.
    if (options.replace)
      await tx.query(`TRUNCATE ${Object.keys(TABLES).join(', ')}, seed_info RESTART IDENTITY CASCADE`);
    for (const [table, columns] of Object.entries(TABLES)) {
      await insertRows(tx, table, columns, rows[table as keyof typeof TABLES]);
    }
    // The ids were assigned here, so the identity sequences must continue after them.
    for (const table of Object.keys(TABLES).filter((name) => name !== 'test_case_checks')) {
      await tx.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
    await tx.query('INSERT INTO seed_info (faker_seed, anchor, seeded_at) VALUES ($1, $2, $3)', [
      fakerSeed,
      rows.anchor,
      now,
    ]);
  });
  const counts = Object.fromEntries(Object.keys(TABLES).map((t) => [t, rows[t as keyof typeof TABLES].length]));
  return { anchor: rows.anchor, counts: counts as SeedSummary['counts'] };
}

async function insertRows(tx: Queryable, table: string, columns: string, rows: readonly object[]): Promise<void> {
  const names = columns.split(', ').map((column) => column.split(' ')[0]);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = JSON.stringify(rows.slice(start, start + CHUNK));
    await tx.query(
      `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${columns})`,
      [chunk],
    );
  }
}
