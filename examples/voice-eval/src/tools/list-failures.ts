import type { Switchboard } from 'switchboard-mcp';
import { ToolError, text, toolResult } from 'switchboard-mcp';
import type { QueryContext } from 'switchboard-mcp/sql';
import type { FailureQueries } from '../queries/failures.js';
import { knownFilters, loadFailures } from '../queries/failures.js';
import type { FailuresReport } from '../schemas/failures.js';
import { failuresInput, failuresReport } from '../schemas/failures.js';
import { EVALS_READ } from '../scopes.js';

const WEEK = 7 * 86_400_000;

/** Registers `list_failures_last_7d`: failed assertions of the last week, grouped and flagged. */
export function registerListFailures(server: Switchboard, queries: FailureQueries, now: () => Date): void {
  server.tool(
    'list_failures_last_7d',
    {
      title: 'List failures of the last 7 days',
      description:
        'Failed eval assertions of the last 7 days, grouped by agent, suite and assertion kind (date, time, ' +
        'party_size, insurance, address, latency_budget...), regressions first. Each group has its failure rate ' +
        'against the 21 days before, first and last seen, whether it is a regression and which release introduced ' +
        "it, whether the newest run still fails, and one example with expected vs actual. Pass a group's " +
        'latest_run_id or example.run_id to get_eval_run for details.',
      input: failuresInput,
      output: failuresReport,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      scopes: [EVALS_READ],
    },
    async (args, ctx) => {
      const position = args.cursor === undefined ? undefined : readCursor(args.cursor);
      const windowEnd = position?.windowEnd ?? now().toISOString();
      await checkFilters(queries, args.agent, args.suite, ctx);
      const { agent, suite, kind, regressions_only: regressionsOnly } = args;
      const page = await loadFailures(
        queries,
        { agent, suite, kind, regressionsOnly, windowEnd, cursor: position?.cursor },
        ctx,
      );
      const report: FailuresReport = {
        window: { from: new Date(Date.parse(windowEnd) - WEEK).toISOString(), to: windowEnd },
        groups: page.groups,
        has_more: page.nextCursor !== undefined,
        next_cursor: page.nextCursor === undefined ? null : `${Date.parse(windowEnd).toString(36)}.${page.nextCursor}`,
      };
      return toolResult({ content: [text(summary(report)), text(JSON.stringify(report))], structuredContent: report });
    },
  );
}

/**
 * Our cursor is the window's end, then the gateway's signed cursor. The window end is one of the arguments the
 * gateway's cursor is bound to, so later pages keep the first page's window and an edited one is refused.
 */
function readCursor(cursor: string): { windowEnd: string; cursor: string } {
  const dot = cursor.indexOf('.');
  const window = cursor.slice(0, Math.max(dot, 0));
  const ms = Number.parseInt(window, 36);
  if (!/^[0-9a-z]{1,12}$/.test(window) || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new ToolError(
      'cursor: not a cursor list_failures_last_7d issued. Call the tool again without cursor to start from the first page.',
    );
  }
  return { windowEnd: new Date(ms).toISOString(), cursor: cursor.slice(dot + 1) };
}

/** A filter naming an agent or suite that does not exist is a mistake to correct, not an empty result. */
async function checkFilters(
  queries: FailureQueries,
  agent: string | undefined,
  suite: string | undefined,
  ctx: QueryContext,
): Promise<void> {
  if (agent === undefined && suite === undefined) return;
  const known = await knownFilters(queries, ctx);
  const agents = [...new Set(known.map((k) => k.agent))];
  if (agent !== undefined && !agents.includes(agent)) {
    throw new ToolError(`agent: no agent "${agent}". Known agents: ${agents.join(', ')}.`);
  }
  const suites = known.filter((k) => agent === undefined || k.agent === agent).map((k) => k.suite);
  if (suite !== undefined && !suites.includes(suite)) {
    const where = agent === undefined ? '' : ` of agent "${agent}"`;
    throw new ToolError(`suite: no suite "${suite}"${where}. Suites${where}: ${[...new Set(suites)].join(', ')}.`);
  }
}

function summary(report: FailuresReport): string {
  const regressions = report.groups.filter((g) => g.regression);
  const head = `${report.groups.length} failure group(s) between ${report.window.from} and ${report.window.to}`;
  const flagged = regressions.map(
    (g) =>
      `${g.agent}/${g.suite} ${g.assertion} ${Math.round(g.failure_rate * 100)}%` +
      (g.introduced_in === null ? '' : ` since ${g.introduced_in.version}`),
  );
  const tail = report.has_more ? ' More groups follow: pass next_cursor.' : '';
  return `${head}; ${flagged.length} regression(s)${flagged.length > 0 ? `: ${flagged.join('; ')}` : ''}.${tail}`;
}
