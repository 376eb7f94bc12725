import type { Faker } from '@faker-js/faker';
import type { CaseSpec } from './cases.js';
import type { AgentSpec, SuiteSpec, VersionSpec } from './catalog.js';
import type { AssertionOutcome } from './outcomes.js';
import { addDays, drawTiming, judge, percentile, round } from './outcomes.js';
import type { SeedRows } from './seed-rows.js';
import type { Captured } from './transcript.js';
import { agentTurnCount, buildTranscript } from './transcript.js';

export interface RunToSimulate {
  readonly agent: AgentSpec;
  readonly suite: SuiteSpec;
  readonly suiteId: number;
  readonly cases: readonly { id: number; spec: CaseSpec }[];
  readonly version: { id: number; spec: VersionSpec };
  readonly startedAt: Date;
  readonly trigger: 'nightly' | 'deploy';
  /** The carrier was down: every call errors before the agent answers. */
  readonly outage: boolean;
}

const CASE_ERRORS = [
  'Speech-to-text stream closed by the provider after 30 s (websocket 1011).',
  'Caller simulator timed out after 45 s waiting for agent audio.',
  'SIP 503 Service Unavailable from the carrier.',
];
const OUTAGE = 'SIP 503 Service Unavailable from the carrier: trunk unavailable.';
/** The harness runs this many calls at once. */
const CONCURRENCY = 4;

/** Replays every case of one run and appends its eval_runs, case_results and assertions rows. */
export function simulateRun(faker: Faker, rows: SeedRows, run: RunToSimulate): void {
  const runId = rows.eval_runs.length + 1;
  const version = run.version.spec;
  const bookingBase = run.startedAt.toISOString().slice(0, 10);
  const allLatencies: number[] = [];
  const counts = { passed: 0, failed: 0, errored: 0 };
  let callMs = 0;
  let cost = 0;
  for (const { id: testCaseId, spec } of run.cases) {
    const resultId = rows.case_results.length + 1;
    const bookingDate = addDays(bookingBase, spec.facts.dayOffset);
    const timing = drawTiming(faker, version, spec, agentTurnCount(spec));
    const errored = run.outage || faker.number.float() < 0.008;
    if (errored) {
      counts.errored++;
      const error = run.outage ? OUTAGE : faker.helpers.arrayElement(CASE_ERRORS);
      const transcript = run.outage
        ? null
        : buildTranscript(spec, run.agent.business, {}, timing.turnLatencies, bookingDate).slice(0, 2);
      rows.case_results.push({
        ...emptyResult(resultId, runId, testCaseId),
        status: 'errored',
        error,
        transcript,
        turns: transcript?.length ?? 0,
      });
      continue;
    }
    const outcomes = judge(faker, spec, run.suite, version, bookingDate, timing);
    const captured: Captured = Object.fromEntries(outcomes.map((o) => [o.kind, o.actual]));
    const transcript = buildTranscript(spec, run.agent.business, captured, timing.turnLatencies, bookingDate);
    const durationMs = (transcript[transcript.length - 1]?.end_ms ?? 0) + 600;
    const score = scoreCall(faker, outcomes);
    const status = score >= 0.7 && outcomes.every((o) => o.passed) ? 'passed' : 'failed';
    counts[status]++;
    allLatencies.push(...timing.turnLatencies);
    callMs += durationMs;
    cost += (durationMs / 60_000) * perMinuteCost(version);
    rows.case_results.push({
      id: resultId,
      run_id: runId,
      test_case_id: testCaseId,
      status,
      score,
      duration_ms: durationMs,
      time_to_first_audio_ms: timing.ttfaMs,
      avg_turn_latency_ms: Math.round(timing.turnLatencies.reduce((a, b) => a + b, 0) / timing.turnLatencies.length),
      p95_turn_latency_ms: percentile(timing.turnLatencies, 0.95),
      turns: transcript.length,
      interruptions: timing.interruptions,
      wer: timing.wer,
      transcript,
      error: null,
    });
    for (const outcome of outcomes) {
      rows.assertions.push({ id: rows.assertions.length + 1, case_result_id: resultId, ...outcome });
    }
  }
  const status = run.outage ? 'errored' : counts.failed + counts.errored > 0 ? 'failed' : 'passed';
  rows.eval_runs.push({
    id: runId,
    suite_id: run.suiteId,
    agent_version_id: run.version.id,
    trigger: run.trigger,
    git_sha: faker.git.commitSha(),
    status,
    started_at: run.startedAt.toISOString(),
    finished_at: new Date(run.startedAt.getTime() + Math.round(callMs / CONCURRENCY) + 40_000).toISOString(),
    total_cases: run.cases.length,
    passed_cases: counts.passed,
    failed_cases: counts.failed,
    errored_cases: counts.errored,
    p50_latency_ms: allLatencies.length > 0 ? percentile(allLatencies, 0.5) : null,
    p95_latency_ms: allLatencies.length > 0 ? percentile(allLatencies, 0.95) : null,
    cost_usd: round(cost, 4),
  });
}

function emptyResult(id: number, runId: number, testCaseId: number): Record<string, unknown> {
  return {
    id,
    run_id: runId,
    test_case_id: testCaseId,
    score: null,
    duration_ms: null,
    time_to_first_audio_ms: null,
    avg_turn_latency_ms: null,
    p95_turn_latency_ms: null,
    interruptions: null,
    wer: null,
  };
}

/** The judge's rubric score: high for a clean call, lower for every failed check. */
function scoreCall(faker: Faker, outcomes: readonly AssertionOutcome[]): number {
  let score = 0.9 + (faker.number.float() - 0.4) * 0.14;
  for (const outcome of outcomes) {
    if (outcome.passed) continue;
    score -= outcome.kind === 'handoff' ? 0.5 : outcome.kind === 'latency_budget' ? 0.08 : 0.18;
  }
  return round(Math.min(1, Math.max(0, score)), 3);
}

/** Model, speech and telephony fees per minute of call, in US dollars. */
function perMinuteCost(version: VersionSpec): number {
  const model = version.llmModel.includes('mini') ? 0.06 : 0.18;
  const tts = version.tts[0] === 'elevenlabs' ? 0.05 : 0.02;
  return model + tts + 0.0059 + 0.014;
}
