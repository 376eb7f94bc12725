import { ToolError } from 'switchboard-mcp';
import type { Database, Queryable } from 'switchboard-mcp/sql';

/** PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout`. */
const QUERY_CANCELED = '57014';

/**
 * Runs `fn` in a read-only transaction whose statements the server itself stops after `timeoutMs`
 * (`SET LOCAL statement_timeout`, so the limit ends with the transaction and the pooled connection is clean).
 * A timeout becomes a ToolError the model can read; every other database error propagates and is masked.
 * PGlite runs statements in-process and does not enforce the timeout.
 */
export async function readOnly<T>(
  db: Database,
  tool: string,
  timeoutMs: number,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(
      async (tx) => {
        await tx.query("SELECT set_config('statement_timeout', $1, true)", [String(timeoutMs)]);
        return fn(tx);
      },
      { readOnly: true },
    );
  } catch (error) {
    if ((error as { code?: unknown }).code !== QUERY_CANCELED) throw error;
    throw new ToolError(
      `${tool} timed out: the database took longer than ${timeoutMs} ms. Narrow the request (filters, fewer ` +
        'cases) or try again later.',
    );
  }
}
