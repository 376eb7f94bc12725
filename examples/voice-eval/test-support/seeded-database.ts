import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { prepareDatabase } from '../src/prepare-database.js';

/** The "now" every test seeds and queries against: the newest nightly runs are from 2026-07-20 02:00 UTC. */
export const NOW = new Date('2026-07-20T09:30:00Z');

/**
 * How long a test file may take to create and seed its database: PGlite's WebAssembly start dominates, and on a
 * busy machine it takes far longer than the default hook timeout.
 */
export const SETUP_TIMEOUT_MS = 120_000;

/** A fresh database for one test file (in-memory PGlite, or a new PostgreSQL database at `url`), migrated and seeded. */
export async function seededDatabase(url: string | undefined): Promise<TestDatabase> {
  const db = await createTestDatabase({ url });
  await prepareDatabase(db, { now: NOW });
  return db;
}

/** The id of the first run of `suite` matching `where` (SQL over eval_runs r and agent_versions v), oldest first. */
export async function findRun(db: TestDatabase, suite: string, where: string): Promise<number> {
  const result = await db.query<{ id: number }>(
    `SELECT r.id FROM eval_runs r JOIN suites s ON s.id = r.suite_id JOIN agent_versions v ON v.id = r.agent_version_id
     WHERE s.slug = $1 AND ${where} ORDER BY r.started_at, r.id LIMIT 1`,
    [suite],
  );
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error(`no run of ${suite} where ${where}`);
  return id;
}
