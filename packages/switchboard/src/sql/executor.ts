import type { Database } from './database.js';
import { engineHandle } from './database.js';
import type { Executor } from './executor-contract.js';
import { SqlCheckError } from './sql-check-error.js';

const executors = new WeakMap<Database, Executor>();

/** The executor of a database opened by `openDatabase()`, made once per database. */
export async function executorFor(db: Database): Promise<Executor> {
  const cached = executors.get(db);
  if (cached !== undefined) return cached;
  const handle = engineHandle(db);
  if (handle === undefined) {
    throw new SqlCheckError('the database must be one opened by openDatabase() (or createTestDatabase())');
  }
  const executor =
    handle.engine === 'pglite'
      ? new (await import('./pglite-executor.js')).PgliteExecutor(handle.pglite)
      : new (await import('./pg-executor.js')).PgExecutor(handle.pool);
  executors.set(db, executor);
  return executor;
}
