import type { Migration } from '../../sql/migrate.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A table name that can be written into SQL as it is (no quoting, no caller input). */
export function checkTableName(table: string): string {
  if (!IDENTIFIER.test(table)) throw new TypeError(`Task table name "${table}" is not a plain lower-case identifier`);
  return table;
}

/**
 * The task table and its indexes, as migrations named after the table (so several task tables, or an
 * application's own migrations, share one migrations table without clashing). Times the protocol shows are kept as
 * the exact ISO text the task was given; times the store compares are epoch milliseconds.
 */
export function taskMigrations(table: string): Migration[] {
  return [
    {
      name: `001_${table}`,
      sql: `
CREATE TABLE IF NOT EXISTS ${table} (
  task_id text PRIMARY KEY,
  principal text NOT NULL,
  status text NOT NULL CHECK (status IN ('working', 'input_required', 'completed', 'failed', 'cancelled')),
  created_at text NOT NULL,
  last_updated_at text NOT NULL,
  ttl_ms bigint NOT NULL,
  poll_interval_ms bigint NOT NULL,
  expires_at_ms bigint NOT NULL,
  result jsonb,
  error jsonb,
  input_requests jsonb,
  owner text,
  lease_expires_at bigint
);
CREATE INDEX IF NOT EXISTS ${table}_active_principal ON ${table} (principal)
  WHERE status IN ('working', 'input_required');
CREATE INDEX IF NOT EXISTS ${table}_active_lease ON ${table} (lease_expires_at)
  WHERE status IN ('working', 'input_required');
CREATE INDEX IF NOT EXISTS ${table}_expiry ON ${table} (expires_at_ms)
  WHERE status IN ('completed', 'failed', 'cancelled');
`,
    },
  ];
}

/** A row as both engines return it (int8 as numbers, jsonb parsed). */
export interface TaskRow {
  task_id: string;
  principal: string;
  status: string;
  created_at: string;
  last_updated_at: string;
  ttl_ms: number;
  poll_interval_ms: number;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  input_requests: Record<string, unknown> | null;
  owner: string | null;
  lease_expires_at: number | null;
  [column: string]: unknown;
}
