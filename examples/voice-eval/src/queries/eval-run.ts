import type { Database, PreparedQuery, QueryContext, Row } from 'switchboard-mcp/sql';
import { prepareQuery } from 'switchboard-mcp/sql';
import { z } from 'zod';
import type { CaseDetail, EvalRunReport, RunSummary } from '../schemas/eval-run.js';
import {
  ALL_CASES,
  ALL_CASES_ORDER,
  FAILING_ASSERTIONS,
  FAILING_ASSERTIONS_ORDER,
  PASS_RATE_HISTORY,
  PASS_RATE_HISTORY_ORDER,
  PREVIOUS_RUN,
  RUN_BY_ID,
  WORST_CASES,
  WORST_CASES_ORDER,
} from './eval-run-sql.js';

export interface EvalRunQuery {
  readonly runId: number;
  /** How many non-passing cases to list, worst first. */
  readonly worstCases: number;
  readonly includeCases: boolean;
  readonly includeTranscripts: boolean;
  /** Runs of the suite in `pass_rate_history`, this one included. */
  readonly historyLength: number;
}

const id = z.number().int();
const at = z.string();

/** The statements of `get_eval_run`, checked against the live schema (run this after the migrations). */
export async function prepareEvalRunQueries(db: Database, timeoutMs: number) {
  const common = { timeoutMs };
  const [run, previous, failing, worst, cases, history] = await Promise.all([
    prepareQuery(db, { ...common, name: 'get_eval_run', sql: RUN_BY_ID, input: { run_id: id }, maxRows: 1 }),
    prepareQuery(db, {
      ...common,
      name: 'get_eval_run',
      sql: PREVIOUS_RUN,
      input: { suite_id: id, started_at: at, run_id: id },
      maxRows: 1,
    }),
    prepareQuery(db, {
      ...common,
      name: 'get_eval_run',
      sql: FAILING_ASSERTIONS,
      input: { run_id: id, previous_id: id.nullable() },
      orderBy: FAILING_ASSERTIONS_ORDER,
    }),
    prepareQuery(db, {
      ...common,
      name: 'get_eval_run',
      sql: WORST_CASES,
      input: { run_id: id, worst: id },
      orderBy: WORST_CASES_ORDER,
    }),
    prepareQuery(db, {
      ...common,
      name: 'get_eval_run',
      sql: ALL_CASES,
      input: { run_id: id, include_transcripts: z.boolean() },
      orderBy: ALL_CASES_ORDER,
      maxBytes: 4 * 1024 * 1024,
    }),
    prepareQuery(db, {
      ...common,
      name: 'get_eval_run',
      sql: PASS_RATE_HISTORY,
      input: { suite_id: id, started_at: at, run_id: id, length: id },
      orderBy: PASS_RATE_HISTORY_ORDER,
    }),
  ]);
  return { run, previous, failing, worst, cases, history };
}

/** The prepared statements `loadEvalRun` runs. */
export type EvalRunQueries = Awaited<ReturnType<typeof prepareEvalRunQueries>>;

/**
 * Everything `get_eval_run` reports about one run, or undefined when there is no such run. Each statement is its
 * own read-only transaction: runs are written once and never change, so the parts cannot disagree.
 */
export async function loadEvalRun(
  queries: EvalRunQueries,
  query: EvalRunQuery,
  ctx: QueryContext,
): Promise<EvalRunReport | undefined> {
  const rows = async (prepared: PreparedQuery, args: Record<string, unknown>) =>
    (await prepared.run(args as never, ctx)).rows;
  const [runRow] = await rows(queries.run, { run_id: query.runId });
  if (runRow === undefined) return undefined;
  const run = toRunSummary(runRow);
  const suiteId = runRow.suite_id as number;
  const position = { suite_id: suiteId, started_at: runRow.started_at, run_id: run.id };
  const [previousRow] = await rows(queries.previous, position);
  const previous = previousRow === undefined ? undefined : toRunSummary(previousRow);
  const [failing, worst, history] = await Promise.all([
    rows(queries.failing, { run_id: run.id, previous_id: previous?.id ?? null }),
    rows(queries.worst, { run_id: run.id, worst: query.worstCases }),
    rows(queries.history, { ...position, length: query.historyLength }),
  ]);
  const report: EvalRunReport = {
    run,
    previous_run:
      previous === undefined
        ? null
        : {
            id: previous.id,
            status: previous.status,
            started_at: previous.started_at,
            agent_version: previous.agent_version.version,
            pass_rate: previous.pass_rate,
            p50_latency_ms: previous.p50_latency_ms,
            p95_latency_ms: previous.p95_latency_ms,
          },
    delta: previous === undefined ? null : compare(run, previous),
    failing_assertions: failing.map((row) => ({
      kind: row.kind as string,
      category: row.category as 'entity' | 'behavior' | 'latency',
      failed: row.failed as number,
      checked: row.checked as number,
      failed_in_previous_run: previous === undefined ? null : (row.failed_in_previous as number),
      new_in_this_run: previous !== undefined && row.failed_in_previous === 0,
      examples: row.examples as EvalRunReport['failing_assertions'][number]['examples'],
    })),
    worst_cases: worst.map(toCaseSummary),
    pass_rate_history: history.map((row) => ({
      run_id: row.run_id as number,
      started_at: iso(row.started_at),
      pass_rate: row.pass_rate as number | null,
      status: row.status as string,
      trigger: row.trigger as string,
      agent_version: row.agent_version as string,
    })),
  };
  if (query.includeCases) {
    const cases = await rows(queries.cases, { run_id: run.id, include_transcripts: query.includeTranscripts });
    report.cases = cases.map(
      (row): CaseDetail => ({
        ...toCaseSummary(row),
        persona: row.persona as string,
        scenario: row.scenario as string,
        duration_ms: row.duration_ms as number | null,
        avg_turn_latency_ms: row.avg_turn_latency_ms as number | null,
        turns: row.turns as number | null,
        assertions: row.assertions as CaseDetail['assertions'],
        ...(query.includeTranscripts ? { transcript: row.transcript as CaseDetail['transcript'] } : {}),
      }),
    );
  }
  return report;
}

function toRunSummary(row: Row): RunSummary {
  return {
    id: row.id as number,
    status: row.status as RunSummary['status'],
    trigger: row.trigger as RunSummary['trigger'],
    git_sha: row.git_sha as string,
    started_at: iso(row.started_at),
    finished_at: row.finished_at === null ? null : iso(row.finished_at),
    agent: { slug: row.agent_slug as string, name: row.agent_name as string, vertical: row.vertical as string },
    suite: { slug: row.suite_slug as string, name: row.suite_name as string },
    agent_version: {
      version: row.version as string,
      prompt_hash: row.prompt_hash as string,
      llm_model: row.llm_model as string,
      stt: `${row.stt_provider}/${row.stt_model}`,
      tts: `${row.tts_provider}/${row.tts_voice}`,
      released_at: iso(row.released_at),
      changelog: row.changelog as string,
    },
    totals: {
      cases: row.total_cases as number,
      passed: row.passed_cases as number,
      failed: row.failed_cases as number,
      errored: row.errored_cases as number,
    },
    pass_rate: row.pass_rate as number | null,
    p50_latency_ms: row.p50_latency_ms as number | null,
    p95_latency_ms: row.p95_latency_ms as number | null,
    time_to_first_audio_p50_ms: row.ttfa_p50_ms as number | null,
    cost_usd: row.cost_usd as number,
  };
}

function toCaseSummary(row: Row): EvalRunReport['worst_cases'][number] {
  return {
    case_result_id: row.case_result_id as number,
    case: row.case as string,
    title: row.title as string,
    status: row.status as EvalRunReport['worst_cases'][number]['status'],
    score: row.score as number | null,
    error: row.error as string | null,
    time_to_first_audio_ms: row.time_to_first_audio_ms as number | null,
    p95_turn_latency_ms: row.p95_turn_latency_ms as number | null,
    interruptions: row.interruptions as number | null,
    wer: row.wer as number | null,
    failed_assertions: row.failed_assertions as string[],
  };
}

/** The delta of a run against the previous run of its suite, and what changed in the agent between them. */
function compare(run: RunSummary, previous: RunSummary): NonNullable<EvalRunReport['delta']> {
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const changes: string[] = [];
  const fields = ['version', 'prompt_hash', 'llm_model', 'stt', 'tts'] as const;
  for (const field of fields) {
    const before = previous.agent_version[field];
    const after = run.agent_version[field];
    if (before !== after) changes.push(`${field}: ${before} -> ${after}`);
  }
  const passRate = minus(run.pass_rate, previous.pass_rate);
  return {
    pass_rate: passRate === null ? null : Math.round(passRate * 10_000) / 10_000,
    passed_cases: run.totals.passed - previous.totals.passed,
    failed_cases: run.totals.failed - previous.totals.failed,
    p50_latency_ms: minus(run.p50_latency_ms, previous.p50_latency_ms),
    p95_latency_ms: minus(run.p95_latency_ms, previous.p95_latency_ms),
    time_to_first_audio_p50_ms: minus(run.time_to_first_audio_p50_ms, previous.time_to_first_audio_p50_ms),
    cost_usd: Math.round((run.cost_usd - previous.cost_usd) * 10_000) / 10_000,
    version_changed: run.agent_version.version !== previous.agent_version.version,
    changes,
  };
}

/** timestamptz arrives as a Date on both engines. */
export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
