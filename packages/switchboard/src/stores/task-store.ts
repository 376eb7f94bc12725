import type { InputRequest, Params } from '../protocol/messages.js';

/** SEP-2663 task states; the last three are terminal. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

/** A task as a store keeps it: plain JSON, so a database or another instance can hold it. */
export interface StoredTask {
  readonly taskId: string;
  /** `principalKey` of the caller that started it; only that caller may see or steer it. */
  readonly principal: string;
  status: TaskStatus;
  readonly createdAt: string;
  lastUpdatedAt: string;
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  /** The tool's result, once completed. */
  result?: Params;
  /** The JSON-RPC error, once failed. */
  error?: Params;
  /** Questions waiting for `tasks/update`, while input_required. */
  inputRequests?: Record<string, InputRequest>;
  /** The instance running the task, and until when (ms since the epoch) its lease holds without a heartbeat. */
  owner?: string;
  leaseExpiresAt?: number;
}

/** What a state change writes. */
export type TaskChange = Pick<StoredTask, 'status' | 'lastUpdatedAt' | 'result' | 'error' | 'inputRequests'>;

/**
 * Where tasks live (io.modelcontextprotocol/tasks). The memory store serves one process; a durable one (PostgreSQL)
 * lets any instance answer `tasks/get` and survives a crash, which the lease turns into a clear failure.
 */
export interface TaskStore {
  /** Stores a new task; it can be read as soon as this resolves. */
  create(task: StoredTask): Promise<void>;
  /** The task, or undefined when unknown or forgotten. The caller checks the principal. */
  get(taskId: string): Promise<StoredTask | undefined>;
  /**
   * Applies a state change unless the task is unknown or already terminal (terminal states never change); resolves
   * with the task as stored afterwards, or undefined when the change was refused. Atomic: of two instances racing
   * to finish one task, one wins.
   */
  update(taskId: string, change: TaskChange): Promise<StoredTask | undefined>;
  /** Extends the leases of the owner's tasks that are still running (a heartbeat). */
  renewLeases(owner: string, taskIds: readonly string[], leaseExpiresAt: number): Promise<void>;
  /** Tasks not terminal whose lease ran out before `now` become failed with `error`; resolves with them. */
  failExpired(now: number, error: Params): Promise<StoredTask[]>;
  /** Tasks of this principal that are not terminal (a bound on what one caller may keep running). */
  countActive(principal: string): Promise<number>;
  close?(): Promise<void>;
}

export interface MemoryTaskStoreOptions {
  /** Most tasks kept at once; past it the oldest finished tasks are forgotten first (default 10,000). */
  maxTasks?: number;
}

/** The default task store: this process's memory, with finished tasks forgotten after their TTL. */
export class MemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, StoredTask>();
  readonly #maxTasks: number;

  constructor(options: MemoryTaskStoreOptions = {}) {
    this.#maxTasks = options.maxTasks ?? 10_000;
  }

  async create(task: StoredTask): Promise<void> {
    this.#sweep(Date.now());
    this.#tasks.set(task.taskId, structuredClone(task));
  }

  async get(taskId: string): Promise<StoredTask | undefined> {
    const task = this.#tasks.get(taskId);
    if (task === undefined) return undefined;
    if (isTerminal(task) && Date.parse(task.createdAt) + task.ttlMs < Date.now()) {
      this.#tasks.delete(taskId);
      return undefined;
    }
    return structuredClone(task);
  }

  async update(taskId: string, change: TaskChange): Promise<StoredTask | undefined> {
    const task = this.#tasks.get(taskId);
    if (task === undefined || isTerminal(task)) return undefined;
    task.status = change.status;
    task.lastUpdatedAt = change.lastUpdatedAt;
    assignOptional(task, change);
    return structuredClone(task);
  }

  async renewLeases(owner: string, taskIds: readonly string[], leaseExpiresAt: number): Promise<void> {
    for (const id of taskIds) {
      const task = this.#tasks.get(id);
      if (task !== undefined && task.owner === owner && !isTerminal(task)) task.leaseExpiresAt = leaseExpiresAt;
    }
  }

  async failExpired(now: number, error: Params): Promise<StoredTask[]> {
    const failed: StoredTask[] = [];
    for (const task of this.#tasks.values()) {
      if (isTerminal(task) || task.leaseExpiresAt === undefined || task.leaseExpiresAt >= now) continue;
      task.status = 'failed';
      task.error = error;
      task.inputRequests = undefined;
      task.lastUpdatedAt = new Date(now).toISOString();
      failed.push(structuredClone(task));
    }
    return failed;
  }

  async countActive(principal: string): Promise<number> {
    let count = 0;
    for (const task of this.#tasks.values()) if (task.principal === principal && !isTerminal(task)) count++;
    return count;
  }

  /** Forgets finished tasks past their TTL, then the oldest finished ones while over the bound. */
  #sweep(now: number): void {
    for (const [id, task] of this.#tasks) {
      if (isTerminal(task) && Date.parse(task.createdAt) + task.ttlMs < now) this.#tasks.delete(id);
    }
    for (const [id, task] of this.#tasks) {
      if (this.#tasks.size < this.#maxTasks) break;
      if (isTerminal(task)) this.#tasks.delete(id);
    }
  }
}

function isTerminal(task: StoredTask): boolean {
  return TERMINAL_STATUSES.has(task.status);
}

function assignOptional(task: StoredTask, change: TaskChange): void {
  if (change.result === undefined) delete task.result;
  else task.result = structuredClone(change.result);
  if (change.error === undefined) delete task.error;
  else task.error = structuredClone(change.error);
  if (change.inputRequests === undefined) delete task.inputRequests;
  else task.inputRequests = structuredClone(change.inputRequests);
}
