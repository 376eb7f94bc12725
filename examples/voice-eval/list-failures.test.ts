import type { CallToolResult } from 'switchboard-mcp';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { TestClient } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createVoiceEvalServer } from './src/create-server.js';
import type { FailureGroup, FailuresReport } from './src/schemas/failures.js';
import { findRun, NOW, SETUP_TIMEOUT_MS, seededDatabase } from './test-support/seeded-database.js';

const report = (result: CallToolResult) => result.structuredContent as unknown as FailuresReport;
const textOf = (result: CallToolResult) =>
  result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
const SECRET = 'a test secret that is long enough!';
const key = (g: FailureGroup) => `${g.agent}/${g.suite}/${g.assertion}`;

describe.each(sqlEngines())('list_failures_last_7d on $name', ({ name, url }) => {
  let db: TestDatabase;
  let client: TestClient;
  let all: FailureGroup[];
  beforeAll(async () => {
    db = await seededDatabase(url);
    client = new TestClient(await createVoiceEvalServer({ db, now: () => NOW, cursorSecret: SECRET }));
    const first = await client.callTool('list_failures_last_7d', {});
    expect(first.isError).toBeUndefined();
    all = report(first).groups;
  }, SETUP_TIMEOUT_MS);
  afterAll(() => db.dispose());

  it('flags the seeded regressions first, with the release that introduced them', async () => {
    const regressions = all.filter((g) => g.regression);
    expect(regressions.map(key).sort()).toEqual([
      'clinic-front-desk/appointment-booking/insurance',
      'clinic-front-desk/insurance-intake/insurance',
      'restaurant-host/reservations/latency_budget',
    ]);
    expect(all.slice(0, 3).every((g) => g.regression)).toBe(true);
    const insurance = all.find((g) => key(g) === 'clinic-front-desk/appointment-booking/insurance');
    expect(insurance?.introduced_in).toMatchObject({ version: 'v15', changelog: expect.stringMatching(/insurance/) });
    expect(insurance?.still_failing).toBe(true);
    expect(insurance?.failure_rate).toBeGreaterThan(0.4);
    expect(insurance?.baseline_failure_rate).toBeLessThan(0.05);
    expect(insurance?.example.reasoning).toMatch(/no member ID/);
    // First seen is the deploy run of v15, not an unrelated misheard digit weeks earlier.
    const deploy = await findRun(db, 'appointment-booking', "v.version = 'v15' AND r.trigger = 'deploy'");
    const started = await db.query<{ started_at: Date }>('SELECT started_at FROM eval_runs WHERE id = $1', [deploy]);
    expect(insurance?.first_seen).toBe(started.rows[0]?.started_at.toISOString());
    const latency = all.find((g) => g.assertion === 'latency_budget');
    expect(latency?.introduced_in?.version).toBe('v9');
    // The TTS switch happened ten days ago: the episode began before the 7-day window.
    expect(Date.parse(latency?.first_seen ?? '')).toBeLessThan(Date.parse(report(await listed({})).window.from));
  });

  it('lists a chronic failure without calling it a regression, and leaves out one fixed before the window', () => {
    const address = all.find((g) => key(g) === 'showing-scheduler/showing-requests/address');
    expect(address).toMatchObject({ regression: false, introduced_in: null });
    expect(address?.failures).toBeGreaterThan(2);
    expect(address?.example.reasoning).toMatch(/^Unit .* missing/);
    // hvac-dispatch v7 broke dates for five nights, 17 to 13 days ago; v7.1 fixed it.
    expect(all.find((g) => key(g) === 'hvac-dispatch/service-calls/date')?.regression ?? false).toBe(false);
    expect(all.every((g) => Date.parse(g.last_seen) >= NOW.getTime() - 7 * 86_400_000)).toBe(true);
  });

  it('counts only the last 7 days', async () => {
    const counted = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assertions x JOIN case_results c ON c.id = x.case_result_id
       JOIN eval_runs r ON r.id = c.run_id WHERE NOT x.passed AND r.started_at >= $1 AND r.started_at < $2`,
      [new Date(NOW.getTime() - 7 * 86_400_000), NOW],
    );
    expect(all.reduce((sum, g) => sum + g.failures, 0)).toBe(counted.rows[0]?.n);
  });

  it('filters by agent, suite, kind and regression', async () => {
    const clinic = report(await listed({ agent: 'clinic-front-desk' })).groups;
    expect(clinic.length).toBeGreaterThan(0);
    expect(clinic.every((g) => g.agent === 'clinic-front-desk')).toBe(true);
    expect(clinic).toEqual(all.filter((g) => g.agent === 'clinic-front-desk'));
    const intake = report(await listed({ suite: 'insurance-intake', kind: 'insurance' })).groups;
    expect(intake.map(key)).toEqual(['clinic-front-desk/insurance-intake/insurance']);
    const flagged = report(await listed({ regressions_only: true })).groups;
    expect(flagged).toEqual(all.filter((g) => g.regression));
  });

  it('pages through the same groups with signed cursors, in the window of the first page', async () => {
    let clock = NOW;
    const paged = new TestClient(
      await createVoiceEvalServer({ db, now: () => clock, cursorSecret: SECRET, failuresPageSize: 2 }),
    );
    const seen: FailureGroup[] = [];
    let cursor: string | undefined;
    do {
      const page = report(await paged.callTool('list_failures_last_7d', cursor === undefined ? {} : { cursor }));
      expect(page.groups.length).toBeLessThanOrEqual(2);
      expect(page.window.to).toBe(NOW.toISOString());
      seen.push(...page.groups);
      expect(page.has_more).toBe(page.next_cursor !== null);
      cursor = page.next_cursor ?? undefined;
      // The clock moves on between pages; the window stays the first page's.
      clock = new Date(clock.getTime() + 3 * 86_400_000);
    } while (cursor !== undefined);
    expect(seen).toEqual(all);
  });

  it('refuses a tampered cursor or one from other filters, and says what to do', async () => {
    const paged = new TestClient(
      await createVoiceEvalServer({ db, now: () => NOW, cursorSecret: SECRET, failuresPageSize: 1 }),
    );
    const list = (args: Record<string, unknown>) => paged.callTool('list_failures_last_7d', args);
    const cursor = report(await list({})).next_cursor ?? '';
    const [window, payload, signature] = cursor.split('.');
    const earlier = (Number.parseInt(window ?? '', 36) - 60_000).toString(36);
    const altered = [`${window}.${payload}.${signature?.slice(1)}`, `${window}.${payload}x.${signature}`];
    for (const bad of altered) {
      expect(textOf(await list({ cursor: bad }))).toMatch(/^The cursor is not valid: .* without a cursor/);
    }
    // The window end is bound into the signed part: moving it is refused like other filters.
    for (const args of [{ cursor: `${earlier}.${payload}.${signature}` }, { cursor, agent: 'restaurant-host' }]) {
      expect(textOf(await list(args))).toMatch(/^The cursor was made for different arguments/);
    }
    for (const garbage of ['garbage', '.x', 'zz!.abc']) {
      expect(textOf(await list({ cursor: garbage }))).toMatch(/^cursor: not a cursor list_failures_last_7d issued/);
    }
    const elsewhere = new TestClient(
      await createVoiceEvalServer({ db, now: () => NOW, cursorSecret: 'b'.repeat(32), failuresPageSize: 1 }),
    );
    expect((await elsewhere.callTool('list_failures_last_7d', { cursor })).isError).toBe(true);
  });

  it('names the field of a bad filter and what would match', async () => {
    const agent = await listed({ agent: 'dental-front-desk' });
    expect(textOf(agent)).toBe(
      'agent: no agent "dental-front-desk". Known agents: clinic-front-desk, hvac-dispatch, restaurant-host, ' +
        'salon-booking, service-advisor, showing-scheduler.',
    );
    const suite = await listed({ agent: 'restaurant-host', suite: 'insurance-intake' });
    expect(textOf(suite)).toBe(
      'suite: no suite "insurance-intake" of agent "restaurant-host". Suites of agent "restaurant-host": reservations.',
    );
    const schema = await listed({ kind: 'zip_code', regressions_only: 'yes' });
    expect(textOf(schema)).toMatch(/- kind: expected one of "date", "time"/);
    expect(textOf(schema)).toMatch(/- regressions_only: expected boolean/);
  });

  it('treats SQL in every string argument as data', async () => {
    for (const attack of ["x' OR '1'='1", 'clinic-front-desk; DROP TABLE assertions', "') UNION SELECT 1--"]) {
      for (const field of ['agent', 'suite', 'kind', 'cursor']) {
        const result = await listed({ [field]: attack });
        expect(result.isError, `${field} = ${attack}`).toBe(true);
        expect(textOf(result)).toMatch(new RegExp(`^(Invalid arguments.*\\n- ${field}:|${field}:)`, 's'));
      }
    }
    const intact = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM assertions');
    expect(intact.rows[0]?.n).toBeGreaterThan(10_000);
  });

  // PGlite runs statements in-process and cannot stop one; PostgreSQL enforces the timeout server-side.
  it.skipIf(name === 'pglite')('turns a statement timeout into a tool error and keeps serving', async () => {
    const hurried = new TestClient(await createVoiceEvalServer({ db, now: () => NOW, statementTimeoutMs: 1 }));
    const result = await hurried.callTool('list_failures_last_7d', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Tool "list_failures_last_7d" timed out: the query ran longer than 1 ms/);
    for (let i = 0; i < 3; i++) expect((await listed({})).isError).toBeUndefined();
  });

  function listed(args: Record<string, unknown>): Promise<CallToolResult> {
    return client.callTool('list_failures_last_7d', args);
  }
});
