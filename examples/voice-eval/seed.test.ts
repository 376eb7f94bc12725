import type { TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { prepareDatabase } from './src/prepare-database.js';
import { anchorNight, generateSeed } from './src/seed/generate.js';
import { NOW, SETUP_TIMEOUT_MS, seededDatabase } from './test-support/seeded-database.js';

describe('the generated seed', () => {
  it('is the same for the same now and seed, and moves with now', () => {
    const a = generateSeed(NOW);
    expect(generateSeed(new Date(NOW))).toEqual(a);
    const later = generateSeed(new Date(NOW.getTime() + 3 * 86_400_000));
    expect(later.eval_runs.length).toBe(a.eval_runs.length);
    expect(later.eval_runs.map((r) => r.passed_cases)).toEqual(a.eval_runs.map((r) => r.passed_cases));
    expect(Date.parse(String(later.eval_runs[0]?.started_at)) - Date.parse(String(a.eval_runs[0]?.started_at))).toBe(
      3 * 86_400_000,
    );
    expect(generateSeed(NOW, 1).case_results).not.toEqual(a.case_results);
  });

  it('anchors on the newest 02:00 UTC night that ended an hour before now', () => {
    expect(anchorNight(new Date('2026-07-20T09:30:00Z')).toISOString()).toBe('2026-07-20T02:00:00.000Z');
    expect(anchorNight(new Date('2026-07-20T02:30:00Z')).toISOString()).toBe('2026-07-19T02:00:00.000Z');
    expect(anchorNight(new Date('2026-07-20T03:00:00Z')).toISOString()).toBe('2026-07-20T02:00:00.000Z');
  });

  it('has a nightly run of every suite on each of the last 7 nights', () => {
    const rows = generateSeed(NOW);
    const week = NOW.getTime() - 7 * 86_400_000;
    const recent = rows.eval_runs.filter((r) => r.trigger === 'nightly' && Date.parse(String(r.started_at)) > week);
    expect(recent.length).toBe(rows.suites.length * 7);
    expect(rows.eval_runs.every((r) => Date.parse(String(r.finished_at)) < NOW.getTime())).toBe(true);
  });
});

describe.each(sqlEngines())('the seeded database on $name', ({ url }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await seededDatabase(url);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => db.dispose());

  it('holds exactly the generated rows', async () => {
    const rows = generateSeed(NOW);
    const counts = await db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM agents) AS agents, (SELECT count(*)::int FROM eval_runs) AS eval_runs,
              (SELECT count(*)::int FROM case_results) AS case_results, (SELECT count(*)::int FROM assertions) AS assertions,
              (SELECT sum(passed_cases)::int FROM eval_runs) AS passed,
              (SELECT count(*)::int FROM assertions WHERE NOT passed) AS failed_assertions,
              (SELECT sum(duration_ms)::int FROM case_results) AS call_ms`,
    );
    const sum = (list: Record<string, unknown>[], key: string) => list.reduce((t, r) => t + Number(r[key] ?? 0), 0);
    expect(counts.rows[0]).toEqual({
      agents: rows.agents.length,
      eval_runs: rows.eval_runs.length,
      case_results: rows.case_results.length,
      assertions: rows.assertions.length,
      passed: sum(rows.eval_runs, 'passed_cases'),
      failed_assertions: rows.assertions.filter((a) => a.passed === false).length,
      call_ms: sum(rows.case_results, 'duration_ms'),
    });
  });

  it('keeps run totals consistent with their cases', async () => {
    const mismatched = await db.query(
      `SELECT r.id FROM eval_runs r JOIN case_results c ON c.run_id = r.id GROUP BY r.id
       HAVING r.total_cases <> count(*) OR r.passed_cases <> count(*) FILTER (WHERE c.status = 'passed')
           OR r.errored_cases <> count(*) FILTER (WHERE c.status = 'errored')`,
    );
    expect(mismatched.rows).toEqual([]);
  });

  it('continues the identity sequences after the seeded ids', async () => {
    const next = await db.query<{ id: number; max: number }>(
      `SELECT nextval(pg_get_serial_sequence('eval_runs', 'id'))::int AS id, (SELECT max(id) FROM eval_runs) AS max`,
    );
    expect(next.rows[0]?.id).toBe((next.rows[0]?.max ?? 0) + 1);
  });

  it('seeds on the first start only, and replaces its own seed once a newer night exists', async () => {
    expect(await prepareDatabase(db, { now: new Date(NOW.getTime() + 3_600_000) })).toBe('kept');
    const tomorrow = new Date(NOW.getTime() + 86_400_000);
    expect(await prepareDatabase(db, { now: tomorrow })).toBe('reseeded');
    const anchor = await db.query<{ anchor: Date }>('SELECT anchor FROM seed_info');
    expect(anchor.rows[0]?.anchor).toEqual(anchorNight(tomorrow));
    const runs = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM eval_runs');
    expect(runs.rows[0]?.n).toBe(generateSeed(tomorrow).eval_runs.length);
  });

  it('leaves data it did not seed alone', async () => {
    await db.query('DELETE FROM seed_info');
    expect(await prepareDatabase(db, { now: new Date(NOW.getTime() + 10 * 86_400_000) })).toBe('kept');
  });
});
