import type { Switchboard } from 'switchboard-mcp';
import { ToolError, text, toolResult } from 'switchboard-mcp';
import type { Database, Queryable } from 'switchboard-mcp/sql';
import type { FailuresKeyset } from '../queries/failures.js';
import { knownFilters, loadFailures } from '../queries/failures.js';
import { readOnly } from '../queries/read-only.js';
import type { FailuresReport } from '../schemas/failures.js';
import { failuresInput, failuresReport } from '../schemas/failures.js';
import { EVALS_READ } from '../scopes.js';
import { PageCursors } from './page-cursor.js';

const WEEK = 7 * 86_400_000;

/** A page position plus the window it was computed for, so later pages do not slide with the clock. */
interface CursorState {
  readonly windowEnd: string;
  readonly after: FailuresKeyset;
}

export interface ListFailuresOptions {
  /** The clock "the last 7 days" ends at. */
  readonly now: () => Date;
  /** Signs page cursors; set it on every instance behind a load balancer. */
  readonly cursorSecret: string | undefined;
  /** Server-side statement timeout of each call. */
  readonly timeoutMs: number;
}

/** Registers `list_failures_last_7d`: failed assertions of the last week, grouped and flagged. */
export function registerListFailures(server: Switchboard, db: Database, options: ListFailuresOptions): void {
  const cursors = new PageCursors<CursorState>('list_failures_last_7d', options.cursorSecret);
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
    async (args) => {
      const scope = JSON.stringify([args.agent, args.suite, args.kind, args.regressions_only]);
      const state = args.cursor === undefined ? undefined : cursors.decode(args.cursor, scope);
      const windowEnd = state === undefined ? options.now() : new Date(state.windowEnd);
      const page = await readOnly(db, 'list_failures_last_7d', options.timeoutMs, async (tx) => {
        await checkFilters(tx, args.agent, args.suite);
        return loadFailures(tx, {
          now: windowEnd,
          agent: args.agent,
          suite: args.suite,
          kind: args.kind,
          regressionsOnly: args.regressions_only,
          limit: args.limit,
          after: state?.after,
        });
      });
      const report: FailuresReport = {
        window: { from: new Date(windowEnd.getTime() - WEEK).toISOString(), to: windowEnd.toISOString() },
        groups: page.groups,
        has_more: page.next !== undefined,
        next_cursor:
          page.next === undefined
            ? null
            : cursors.encode({ windowEnd: windowEnd.toISOString(), after: page.next }, scope),
      };
      return toolResult({ content: [text(summary(report)), text(JSON.stringify(report))], structuredContent: report });
    },
  );
}

/** A filter naming an agent or suite that does not exist is a mistake to correct, not an empty result. */
async function checkFilters(tx: Queryable, agent: string | undefined, suite: string | undefined): Promise<void> {
  if (agent === undefined && suite === undefined) return;
  const known = await knownFilters(tx);
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
