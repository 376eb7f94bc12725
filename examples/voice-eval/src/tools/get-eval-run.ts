import type { Switchboard } from 'switchboard-mcp';
import { NotFoundError, text, toolResult } from 'switchboard-mcp';
import { z } from 'zod';
import type { EvalRunQueries } from '../queries/eval-run.js';
import { loadEvalRun } from '../queries/eval-run.js';
import type { EvalRunReport } from '../schemas/eval-run.js';
import { evalRunReport } from '../schemas/eval-run.js';
import { EVALS_READ } from '../scopes.js';
import { EVAL_RUN_VIEW_URI } from '../view/eval-run-view.js';

const input = {
  run_id: z
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .describe(
      'eval run id: latest_run_id or example.run_id from list_failures_last_7d, or a run_id of pass_rate_history',
    ),
  worst_cases: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(5)
    .describe('how many failing or errored cases to list, worst first'),
  include_cases: z.boolean().default(false).describe('add every case of the run with all of its assertions'),
  include_transcripts: z
    .boolean()
    .default(false)
    .describe('add each call transcript to the cases (large; implies include_cases)'),
};

/**
 * Registers `get_eval_run`: one run's summary, its delta against the previous run of the same suite, the failing
 * assertions grouped by kind, the worst cases and the suite's pass-rate history; hosts that support MCP Apps
 * render it with the eval-run view.
 */
export function registerGetEvalRun(server: Switchboard, queries: EvalRunQueries): void {
  server.tool(
    'get_eval_run',
    {
      title: 'Get eval run',
      description:
        'One voice-agent eval run: pass rate, latency and cost with the change since the previous run of the same ' +
        'suite (and what changed in the agent: version, prompt, model, STT, TTS), failing assertions grouped by kind ' +
        'with expected vs actual, the worst cases, and the pass rate of the suite over its last 30 runs. Use it to ' +
        'see why a run failed and whether a release caused it.',
      input,
      output: evalRunReport,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      scopes: [EVALS_READ],
      _meta: { ui: { resourceUri: EVAL_RUN_VIEW_URI } },
    },
    async ({ run_id, worst_cases, include_cases, include_transcripts }, ctx) => {
      const report = await loadEvalRun(
        queries,
        {
          runId: run_id,
          worstCases: worst_cases,
          includeCases: include_cases || include_transcripts,
          includeTranscripts: include_transcripts,
          historyLength: 30,
        },
        ctx,
      );
      if (report === undefined) {
        throw new NotFoundError(
          `run_id: there is no eval run ${run_id}. Take a run id from list_failures_last_7d (latest_run_id, ` +
            'example.run_id) or from the pass_rate_history of another run.',
        );
      }
      return toolResult({
        content: [text(headline(report)), text(JSON.stringify(report))],
        structuredContent: report,
      });
    },
  );
}

/** One line a model (or a person) can read before the JSON. */
export function headline(report: EvalRunReport): string {
  const { run, delta, previous_run: previous } = report;
  const parts = [
    `Run ${run.id}: ${run.agent.slug} / ${run.suite.slug} on ${run.agent_version.version}, ${run.status}`,
    `pass rate ${percent(run.pass_rate)} (${run.totals.passed}/${run.totals.cases})`,
  ];
  if (delta !== null && previous !== null) {
    parts.push(`${points(delta.pass_rate)} vs run ${previous.id}`);
    if (delta.changes.length > 0) parts.push(`agent changed: ${delta.changes.join('; ')}`);
  }
  parts.push(`p95 turn latency ${run.p95_latency_ms ?? 'n/a'} ms`);
  const failing = report.failing_assertions.map((a) => `${a.kind} ${a.failed}/${a.checked}`);
  parts.push(failing.length > 0 ? `failing: ${failing.join(', ')}` : 'no failing assertions');
  return `${parts.join('; ')}.`;
}

function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(1)}%`;
}

function points(delta: number | null): string {
  if (delta === null) return 'no comparable pass rate';
  const value = (delta * 100).toFixed(1);
  return `${delta >= 0 ? '+' : ''}${value} points`;
}
