import { ToolError } from '../protocol/errors.js';
import type { CompiledQuery } from './compile-query.js';
import type { Preamble, PreparedStatement } from './executor-contract.js';

interface PlanNode {
  'Node Type': string;
  'Plan Rows': number;
  'Total Cost': number;
  Plans?: PlanNode[];
}

const explains = new WeakMap<PreparedStatement, PreparedStatement>();

/** `EXPLAIN (FORMAT JSON)` of a statement, as a statement of its own (its one column is json, OID 114). */
function explainOf(statement: PreparedStatement): PreparedStatement {
  let explain = explains.get(statement);
  if (explain === undefined) {
    explain = {
      name: `${statement.name}_x`,
      text: `EXPLAIN (FORMAT JSON) ${statement.text}`,
      columns: [{ name: 'QUERY PLAN', oid: 114, parse: (text) => JSON.parse(text) }],
      paramOids: statement.paramOids,
    };
    explains.set(statement, explain);
  }
  return explain;
}

/**
 * Asks the planner about this call (same values, same role and claims, so row-level security shapes the estimate)
 * and refuses it before it runs when the estimate passes the guard. Rows are those of the statement under the
 * gateway's LIMIT; cost is the whole limited plan's.
 */
export async function checkCost(
  q: CompiledQuery,
  preamble: Preamble,
  statement: PreparedStatement,
  values: readonly (string | null)[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const guard = q.costGuard;
  if (guard === undefined) return;
  const [row] = await q.executor.run(preamble, explainOf(statement), values, signal);
  const plan = (row?.['QUERY PLAN'] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan;
  if (plan === undefined) return;
  const inner = plan['Node Type'] === 'Limit' && plan.Plans?.[0] !== undefined ? plan.Plans[0] : plan;
  const rows = inner['Plan Rows'];
  if (guard.maxRows !== undefined && rows > guard.maxRows) {
    throw new ToolError(
      `Tool "${q.name}" did not run this request: the database estimates it matches about ${Math.round(rows)} rows, more than its limit of ${guard.maxRows}. Add more specific arguments to narrow it.`,
    );
  }
  const cost = plan['Total Cost'];
  if (guard.maxCost !== undefined && cost > guard.maxCost) {
    throw new ToolError(
      `Tool "${q.name}" did not run this request: the database estimates it too expensive (cost ${Math.round(cost)}, limit ${guard.maxCost}). Add more specific arguments to narrow it.`,
    );
  }
}
