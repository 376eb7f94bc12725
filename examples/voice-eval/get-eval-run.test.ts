import type { CallToolResult } from 'switchboard-mcp';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { captureLogs, TestClient } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createVoiceEvalServer } from './src/create-server.js';
import type { EvalRunReport } from './src/schemas/eval-run.js';
import { EVAL_RUN_VIEW_URI, MCP_APP_MIME_TYPE } from './src/view/eval-run-view.js';
import { findRun, NOW, SETUP_TIMEOUT_MS, seededDatabase } from './test-support/seeded-database.js';

const report = (result: CallToolResult) => result.structuredContent as unknown as EvalRunReport;
const textOf = (result: CallToolResult) =>
  result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');

describe.each(sqlEngines())('get_eval_run on $name', ({ url }) => {
  let db: TestDatabase;
  let client: TestClient;
  beforeAll(async () => {
    db = await seededDatabase(url);
    client = new TestClient(await createVoiceEvalServer({ db, now: () => NOW }));
  }, SETUP_TIMEOUT_MS);
  afterAll(() => db.dispose());

  it('shows the insurance regression of clinic-front-desk v15 against the v14 run before it', async () => {
    const runId = await findRun(db, 'appointment-booking', "v.version = 'v15'");
    const result = await client.callTool('get_eval_run', { run_id: runId });
    expect(result.isError).toBeUndefined();
    const { run, delta, previous_run, failing_assertions } = report(result);
    expect(run).toMatchObject({ id: runId, trigger: 'deploy', agent: { slug: 'clinic-front-desk' } });
    expect(run.agent_version.changelog).toMatch(/insurance/);
    expect(previous_run?.agent_version).toBe('v14');
    expect(delta?.version_changed).toBe(true);
    expect(delta?.changes).toEqual(
      expect.arrayContaining(['version: v14 -> v15', expect.stringMatching(/^prompt_hash: /)]),
    );
    expect(delta?.pass_rate).toBeLessThan(-0.4);
    expect(delta?.pass_rate).toBeCloseTo((run.pass_rate ?? 0) - (previous_run?.pass_rate ?? 0), 4);
    const insurance = failing_assertions[0];
    expect(insurance).toMatchObject({ kind: 'insurance', category: 'entity', checked: 12 });
    expect(insurance?.failed).toBeGreaterThanOrEqual(6);
    expect(insurance?.examples[0]?.reasoning).toMatch(/no member ID/);
    expect(insurance?.examples[0]?.expected).toContain(insurance?.examples[0]?.actual ?? 'nothing');
    expect(textOf(result)).toMatch(/^Run \d+: clinic-front-desk \/ appointment-booking on v15, failed; pass rate/);
  });

  it('shows the latency regression of the TTS switch in restaurant-host v9', async () => {
    const runId = await findRun(db, 'reservations', "v.version = 'v9'");
    const { run, delta, failing_assertions, worst_cases } = report(
      await client.callTool('get_eval_run', { run_id: runId }),
    );
    expect(delta?.changes).toContain('tts: cartesia/sonic-2/ronald -> elevenlabs/eleven_multilingual_v2/charlotte');
    expect(delta?.p95_latency_ms).toBeGreaterThan(300);
    expect(delta?.time_to_first_audio_p50_ms).toBeGreaterThan(300);
    expect(run.p95_latency_ms).toBeGreaterThan(1500);
    expect(failing_assertions.map((a) => a.kind)).toContain('latency_budget');
    expect(failing_assertions.find((a) => a.kind === 'latency_budget')?.examples[0]?.reasoning).toMatch(/Over budget/);
    expect(worst_cases.length).toBe(5);
    expect(worst_cases.every((c) => c.status !== 'passed')).toBe(true);
  });

  it('reports the pass-rate history of the suite up to the run, oldest first', async () => {
    const newest = await findRun(db, 'reservations', 'r.id = (SELECT max(id) FROM eval_runs WHERE suite_id = s.id)');
    const { pass_rate_history: history } = report(await client.callTool('get_eval_run', { run_id: newest }));
    expect(history.length).toBe(30);
    expect(history[history.length - 1]?.run_id).toBe(newest);
    const times = history.map((h) => Date.parse(h.started_at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const v9 = history.filter((h) => h.agent_version === 'v9');
    expect(v9[0]?.trigger).toBe('deploy');
    expect(v9.slice(1).every((h) => h.trigger === 'nightly')).toBe(true);
    // The first runs of the suite are older than the window: only those up to this run, and no later ones.
    const first = await findRun(db, 'reservations', "v.version = 'v9'");
    const early = report(await client.callTool('get_eval_run', { run_id: first })).pass_rate_history;
    expect(early[early.length - 1]?.run_id).toBe(first);
    expect(early.filter((h) => h.agent_version === 'v9').length).toBe(1);
  });

  it('adds every case, with assertions and transcripts, when asked', async () => {
    const runId = await findRun(db, 'insurance-intake', "v.version = 'v15' AND r.trigger = 'nightly'");
    const plain = report(await client.callTool('get_eval_run', { run_id: runId }));
    expect(plain.cases).toBeUndefined();
    const full = report(await client.callTool('get_eval_run', { run_id: runId, include_transcripts: true }));
    expect(full.cases?.length).toBe(full.run.totals.cases);
    const broken = full.cases?.find((c) => c.failed_assertions.includes('insurance'));
    const assertion = broken?.assertions.find((a) => a.kind === 'insurance');
    expect(assertion?.passed).toBe(false);
    // The agent reads back what it captured, so the wrong value is in the transcript too.
    const readBack = broken?.transcript?.find((turn) => turn.text.startsWith('To confirm'));
    expect(readBack?.speaker).toBe('agent');
    expect(readBack?.text).toContain(`insurance ${assertion?.actual}`);
    expect(broken?.transcript?.filter((t) => t.speaker === 'agent').every((t) => (t.latency_ms ?? 0) > 0)).toBe(true);
  });

  it('has no delta for the first run of a suite', async () => {
    const runId = await findRun(db, 'stylist-bookings', 'true');
    const first = report(await client.callTool('get_eval_run', { run_id: runId }));
    expect(first.previous_run).toBeNull();
    expect(first.delta).toBeNull();
    expect(first.failing_assertions.every((a) => a.failed_in_previous_run === null && !a.new_in_this_run)).toBe(true);
  });

  it('reports an unknown run as not found, and bad arguments by field', async () => {
    const missing = await client.callTool('get_eval_run', { run_id: 987_654 });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/^run_id: there is no eval run 987654\. Take a run id from list_failures_last_7d/);
    const bad = await client.callTool('get_eval_run', { run_id: '1; DROP TABLE eval_runs', worst_cases: 50 });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/- run_id: expected number, received string/);
    expect(textOf(bad)).toMatch(/- worst_cases: expected .*<= 20/);
    const huge = await client.callTool('get_eval_run', { run_id: 2 ** 40 });
    expect(textOf(huge)).toMatch(/- run_id: expected a number <= 2147483647/);
    expect((await db.query('SELECT count(*)::int AS n FROM eval_runs')).rows[0]).not.toEqual({ n: 0 });
  });

  it('links the tool to its MCP Apps view in both eras', async () => {
    for (const era of ['modern', 'legacy'] as const) {
      const eraClient = new TestClient(await createVoiceEvalServer({ db, now: () => NOW }), { era });
      const { tools } = await eraClient.listTools();
      expect(tools.find((t) => t.name === 'get_eval_run')?._meta).toEqual({ ui: { resourceUri: EVAL_RUN_VIEW_URI } });
      const read = await eraClient.readResource(EVAL_RUN_VIEW_URI);
      expect(read.contents[0]).toMatchObject({ uri: EVAL_RUN_VIEW_URI, mimeType: MCP_APP_MIME_TYPE });
      const html = (read.contents[0] as { text: string }).text;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain("'ui/initialize'");
      // Nothing to fetch: a host's default CSP (connect-src 'none', no external scripts) must not break it.
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      const { resources } = await eraClient.listResources();
      expect(resources.find((r) => r.uri === EVAL_RUN_VIEW_URI)?.mimeType).toBe(MCP_APP_MIME_TYPE);
      await eraClient.close();
    }
  });

  it('advertises the io.modelcontextprotocol/ui extension', async () => {
    const legacy = new TestClient(await createVoiceEvalServer({ db }), { era: 'legacy' });
    const init = (await legacy.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 't', version: '1' },
    })) as { capabilities: { extensions?: Record<string, unknown> } };
    expect(init.capabilities.extensions).toEqual({ 'io.modelcontextprotocol/ui': {} });
    const discover = (await client.request('server/discover')) as { capabilities: { extensions?: object } };
    expect(Object.keys(discover.capabilities.extensions ?? {}).sort()).toEqual([
      'io.modelcontextprotocol/tasks',
      'io.modelcontextprotocol/ui',
    ]);
  });

  it('masks a database failure and logs it', async () => {
    const { logger, lines } = captureLogs();
    const logged = new TestClient(await createVoiceEvalServer({ db, now: () => NOW, logger }));
    // A table gone missing fails every query the way a broken database would; it is put back afterwards.
    await db.exec('ALTER TABLE assertions RENAME TO assertions_away');
    try {
      const result = await logged.callTool('get_eval_run', { run_id: 1 });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/internal error \(correlation id/);
      expect(textOf(result)).not.toMatch(/does not exist|SELECT|FROM/);
      expect(lines.some((line) => /assertions/.test(String(line.err?.message)))).toBe(true);
    } finally {
      await db.exec('ALTER TABLE assertions_away RENAME TO assertions');
    }
    expect((await logged.callTool('get_eval_run', { run_id: 1 })).isError).toBeUndefined();
  });
});
