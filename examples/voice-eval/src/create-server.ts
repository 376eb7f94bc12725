import type { SwitchboardOptions } from 'switchboard-mcp';
import { Switchboard } from 'switchboard-mcp';
import type { Database } from 'switchboard-mcp/sql';
import { prepareDatabase } from './prepare-database.js';
import { prepareEvalRunQueries } from './queries/eval-run.js';
import { prepareFailureQueries } from './queries/failures.js';
import { registerGetEvalRun } from './tools/get-eval-run.js';
import { registerListFailures } from './tools/list-failures.js';
import { registerEvalRunView, UI_EXTENSION } from './view/eval-run-view.js';

export interface VoiceEvalServerOptions {
  /** The database; it must be migrated unless `prepare` is set. */
  readonly db: Database;
  /** Migrate it and seed the demo data when it is empty or its seed is stale (`prepareDatabase`), first. */
  readonly prepare?: boolean;
  /** The clock "the last 7 days" ends at (default: the real one). Tests pass a fixed one. */
  readonly now?: () => Date;
  /**
   * Signs `list_failures_last_7d` page cursors (at least 32 bytes); the same value on every instance behind a load
   * balancer (default: random per process).
   */
  readonly cursorSecret?: string;
  /** Failure groups per `list_failures_last_7d` page (default 25). */
  readonly failuresPageSize?: number;
  /** How long one call's SQL may run on the database server before it is stopped (default 5000 ms). */
  readonly statementTimeoutMs?: number;
  readonly logger?: SwitchboardOptions['logger'];
}

/**
 * The voice-eval MCP server: `get_eval_run` (with its MCP Apps view) and `list_failures_last_7d`. Its statements
 * are checked against the live schema before it is returned.
 */
export async function createVoiceEvalServer(options: VoiceEvalServerOptions): Promise<Switchboard> {
  const server = new Switchboard({
    name: 'voice-eval',
    version: '1.0.0',
    title: 'Voice agent evals',
    description: 'Nightly eval runs of voice agents: pass rates, latency, failing entity assertions and regressions.',
    instructions:
      'Start with list_failures_last_7d to see what broke this week (regressions first), then call get_eval_run ' +
      'with a run id from it to see the failing assertions, the worst calls and what changed in the agent.',
    extensions: { [UI_EXTENSION]: {} },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  if (options.prepare) await prepareDatabase(options.db, { logger: server.logger });
  const timeoutMs = options.statementTimeoutMs ?? 5_000;
  const [runQueries, failureQueries] = await Promise.all([
    prepareEvalRunQueries(options.db, timeoutMs),
    prepareFailureQueries(options.db, {
      timeoutMs,
      pageSize: options.failuresPageSize ?? 25,
      cursor: options.cursorSecret === undefined ? {} : { secret: options.cursorSecret },
    }),
  ]);
  registerGetEvalRun(server, runQueries);
  registerListFailures(server, failureQueries, options.now ?? (() => new Date()));
  registerEvalRunView(server);
  return server;
}
