import type { Queryable, Row } from 'switchboard-mcp/sql';
import type { CaseDetail, EvalRunReport, RunSummary } from '../schemas/eval-run.js';
import {
  ALL_CASES,
  FAILING_ASSERTIONS,
  PASS_RATE_HISTORY,
  PREVIOUS_RUN,
  RUN_BY_ID,
  WORST_CASES,
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

/** Everything `get_eval_run` reports about one run, or undefined when there is no such run. */
export async function loadEvalRun(db: Queryable, query: EvalRunQuery): Promise<EvalRunReport | undefined> {
  const runRow = (await db.query(RUN_BY_ID, [query.runId])).rows[0];
  if (runRow === undefined) return undefined;
  const run = toRunSummary(runRow);
  const suiteId = runRow.suite_id as number;
  const previousRow = (await db.query(PREVIOUS_RUN, [suiteId, runRow.started_at, run.id])).rows[0];
  const previous = previousRow === undefined ? undefined : toRunSummary(previousRow);
  const failing = await db.query(FAILING_ASSERTIONS, [run.id, previous?.id ?? null]);
  const worst = await db.query(WORST_CASES, [run.id, query.worstCases]);
  const history = await db.query(PASS_RATE_HISTORY, [suiteId, runRow.started_at, run.id, query.historyLength]);
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
    failing_assertions: failing.rows.map((row) => ({
      kind: row.kind as string,
      category: row.category as 'entity' | 'behavior' | 'latency',
      failed: row.failed as number,
      checked: row.checked as number,
      failed_in_previous_run: previous === undefined ? null : (row.failed_in_previous as number),
      new_in_this_run: previous !== undefined && row.failed_in_previous === 0,
      examples: row.examples as EvalRunReport['failing_assertions'][number]['examples'],
    })),
    worst_cases: worst.rows.map(toCaseSummary),
    pass_rate_history: history.rows.map((row) => ({
      run_id: row.run_id as number,
      started_at: iso(row.started_at),
      pass_rate: row.pass_rate as number | null,
      status: row.status as string,
      trigger: row.trigger as string,
      agent_version: row.agent_version as string,
    })),
  };
  if (query.includeCases) {
    const cases = await db.query(ALL_CASES, [run.id, query.includeTranscripts]);
    report.cases = cases.rows.map(
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
