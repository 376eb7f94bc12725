import { ErrorCode, ProtocolError } from '../../protocol/errors.js';
import { TaskRecord } from './task-record.js';

/** The tasks extension identifier (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** -32021 naming the tasks extension (SEP-2663 §Capability Negotiation), HTTP 400. */
export function missingTasksExtension(what: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.MissingRequiredClientCapability,
    `${what} needs the ${TASKS_EXTENSION} extension in the request's client capabilities`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
    400,
  );
}

export interface TaskStoreOptions {
  /** How long a task stays retrievable after it is created (default 1 hour). */
  ttlMs?: number;
  /** The polling interval suggested to clients (default 1 second). */
  pollIntervalMs?: number;
}

/**
 * The tasks this process runs. A task lives where its handler runs, so this store is per process; behind a load
 * balancer, route tasks/* by the `Mcp-Name` header (the task id), as SEP-2663 intends.
 */
export class TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #ttlMs: number;
  readonly #pollIntervalMs: number;
  readonly #onChange: (task: TaskRecord) => void;

  constructor(options: TaskStoreOptions, onChange: (task: TaskRecord) => void) {
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#onChange = onChange;
  }

  /** Creates a task; it can be read with `get` before this returns (SEP-2663: durably created first). */
  create(principal: string): TaskRecord {
    this.#sweep();
    const task = new TaskRecord(principal, this.#ttlMs, this.#pollIntervalMs, this.#onChange);
    this.#tasks.set(task.taskId, task);
    return task;
  }

  /** The task, if it exists and belongs to this caller; another caller's task is indistinguishable from none. */
  get(taskId: string, principal: string): TaskRecord | undefined {
    const task = this.#tasks.get(taskId);
    return task?.principal === principal ? task : undefined;
  }

  /** Forgets finished tasks whose time-to-live has passed; running ones stay until they finish. */
  #sweep(): void {
    const now = Date.now();
    for (const [id, task] of this.#tasks) {
      if (task.terminal && Date.parse(task.createdAt) + task.ttlMs < now) this.#tasks.delete(id);
    }
  }
}
