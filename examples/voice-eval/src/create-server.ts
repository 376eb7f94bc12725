import type { SwitchboardOptions } from 'switchboard-mcp';
import { Switchboard } from 'switchboard-mcp';
import type { Database } from 'switchboard-mcp/sql';
import { registerGetEvalRun } from './tools/get-eval-run.js';
import { registerListFailures } from './tools/list-failures.js';
import { registerEvalRunView, UI_EXTENSION } from './view/eval-run-view.js';

export interface VoiceEvalServerOptions {
  /** A migrated database (see `prepareDatabase`). */
  readonly db: Database;
  /** The clock "the last 7 days" ends at (default: the real one). Tests pass a fixed one. */
  readonly now?: () => Date;
  /** Signs `list_failures_last_7d` page cursors; the same value on every instance (default: random per process). */
  readonly cursorSecret?: string;
  /** How long one call's SQL may run on the database server before it is stopped (default 5000 ms). */
  readonly statementTimeoutMs?: number;
  readonly logger?: SwitchboardOptions['logger'];
}

/** The voice-eval MCP server: `get_eval_run` (with its MCP Apps view) and `list_failures_last_7d`. */
export function createVoiceEvalServer(options: VoiceEvalServerOptions): Switchboard {
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
  const timeoutMs = options.statementTimeoutMs ?? 5_000;
  registerGetEvalRun(server, options.db, timeoutMs);
  registerListFailures(server, options.db, {
    now: options.now ?? (() => new Date()),
    cursorSecret: options.cursorSecret,
    timeoutMs,
  });
  registerEvalRunView(server);
  return server;
}
