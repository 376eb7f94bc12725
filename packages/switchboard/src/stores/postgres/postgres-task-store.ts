import { StoreUnavailableError } from '../../protocol/errors.js';
import type { InputRequest, Params } from '../../protocol/messages.js';
import type { Database, QueryResult, Row } from '../../sql/database.js';
import { classify } from '../../sql/db-errors.js';
import { migrate } from '../../sql/migrate.js';
import type { StoredTask, TaskChange, TaskStatus, TaskStore } from '../task-store.js';
import type { TaskRow } from './task-table.js';
import { checkTableName, taskMigrations } from './task-table.js';

const ACTIVE = `status IN ('working', 'input_required')`;
const TERMINAL = `status IN ('completed', 'failed', 'cancelled')`;
/** Finished tasks past their TTL are deleted at most this often, by whichever instance creates a task. */
const SWEEP_EVERY_MS = 60_000;

export interface PostgresTaskStoreOptions {
  /** The table tasks live in (default `switchboard_tasks`); created by `migrate()`. */
  table?: string;
}

/**
 * Tasks in PostgreSQL (a server through `pg`, or embedded PGlite), so that any instance can answer `tasks/get`,
 * `tasks/update` and `tasks/cancel`, and a task outlives the process that ran it. Every change is one conditional
 * `UPDATE … WHERE status IN (running states)`: the row lock makes racing instances take turns and the loser's
 * condition no longer holds, so a terminal state is written once and an expired lease is claimed by one instance.
 * While the database cannot be reached, calls reject with `StoreUnavailableError` (the request gets 503), and they
 * succeed again once the pool reconnects.
 */
export class PostgresTaskStore implements TaskStore {
  readonly #db: Database;
  readonly #table: string;
  #lastSweep = 0;

  constructor(db: Database, options: PostgresTaskStoreOptions = {}) {
    this.#db = db;
    this.#table = checkTableName(options.table ?? 'switchboard_tasks');
  }

  /** Opens the store on `db`, creating or upgrading its table first (safe when several instances start at once). */
  static async open(db: Database, options: PostgresTaskStoreOptions = {}): Promise<PostgresTaskStore> {
    const store = new PostgresTaskStore(db, options);
    await store.migrate();
    return store;
  }

  /** Applies the task table's migrations (recorded in `switchboard_migrations`). */
  async migrate(): Promise<void> {
    await migrate(this.#db, taskMigrations(this.#table));
  }

  async create(task: StoredTask): Promise<void> {
    await this.#sweep();
    await this.#query(
      `INSERT INTO ${this.#table} (task_id, principal, status, created_at, last_updated_at, ttl_ms, poll_interval_ms,
         expires_at_ms, result, error, input_requests, owner, lease_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13)`,
      [
        task.taskId,
        task.principal,
        task.status,
        task.createdAt,
        task.lastUpdatedAt,
        task.ttlMs,
        task.pollIntervalMs,
        Date.parse(task.createdAt) + task.ttlMs,
        json(task.result),
        json(task.error),
        json(task.inputRequests),
        task.owner ?? null,
        task.leaseExpiresAt ?? null,
      ],
    );
  }

  async get(taskId: string): Promise<StoredTask | undefined> {
    const { rows } = await this.#query<TaskRow>(
      `SELECT * FROM ${this.#table} WHERE task_id = $1 AND (${ACTIVE} OR expires_at_ms >= $2)`,
      [taskId, Date.now()],
    );
    return rows[0] === undefined ? undefined : taskOf(rows[0]);
  }

  async update(taskId: string, change: TaskChange): Promise<StoredTask | undefined> {
    const { rows } = await this.#query<TaskRow>(
      `UPDATE ${this.#table}
         SET status = $2, last_updated_at = $3, result = $4::jsonb, error = $5::jsonb, input_requests = $6::jsonb
       WHERE task_id = $1 AND ${ACTIVE}
       RETURNING *`,
      [
        taskId,
        change.status,
        change.lastUpdatedAt,
        json(change.result),
        json(change.error),
        json(change.inputRequests),
      ],
    );
    return rows[0] === undefined ? undefined : taskOf(rows[0]);
  }

  async renewLeases(owner: string, taskIds: readonly string[], leaseExpiresAt: number): Promise<void> {
    if (taskIds.length === 0) return;
    await this.#query(
      `UPDATE ${this.#table} SET lease_expires_at = $3 WHERE owner = $1 AND task_id = ANY($2::text[]) AND ${ACTIVE}`,
      [owner, taskIds, leaseExpiresAt],
    );
  }

  async failExpired(now: number, error: Params): Promise<StoredTask[]> {
    const { rows } = await this.#query<TaskRow>(
      `UPDATE ${this.#table}
         SET status = 'failed', error = $2::jsonb, input_requests = NULL, last_updated_at = $3
       WHERE ${ACTIVE} AND lease_expires_at < $1
       RETURNING *`,
      [now, json(error), new Date(now).toISOString()],
    );
    return rows.map(taskOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async countActive(principal: string): Promise<number> {
    const { rows } = await this.#query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.#table} WHERE principal = $1 AND ${ACTIVE}`,
      [principal],
    );
    return rows[0]?.n ?? 0;
  }

  /** A statement; a lost or refused connection becomes `StoreUnavailableError`, any other failure stays as it is. */
  async #query<R extends Row = Row>(text: string, params: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.#db.query<R>(text, params);
    } catch (error) {
      if (classify(error, false).kind !== 'unavailable') throw error;
      throw new StoreUnavailableError(`The task store (PostgreSQL) is unreachable: ${(error as Error).message}`);
    }
  }

  /** Deletes finished tasks past their TTL, once a minute at most. */
  async #sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    await this.#query(`DELETE FROM ${this.#table} WHERE ${TERMINAL} AND expires_at_ms < $1`, [now]);
  }
}

/** A JSON value as a bound `jsonb` parameter (NULL when absent). */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The stored task a row holds, with absent fields left out (not set to undefined), as the memory store keeps it. */
function taskOf(row: TaskRow): StoredTask {
  const task: StoredTask = {
    taskId: row.task_id,
    principal: row.principal,
    status: row.status as TaskStatus,
    createdAt: row.created_at,
    lastUpdatedAt: row.last_updated_at,
    ttlMs: Number(row.ttl_ms),
    pollIntervalMs: Number(row.poll_interval_ms),
  };
  if (row.result !== null) task.result = row.result;
  if (row.error !== null) task.error = row.error;
  if (row.input_requests !== null) task.inputRequests = row.input_requests as Record<string, InputRequest>;
  if (row.owner !== null) task.owner = row.owner;
  if (row.lease_expires_at !== null) task.leaseExpiresAt = Number(row.lease_expires_at);
  return task;
}
