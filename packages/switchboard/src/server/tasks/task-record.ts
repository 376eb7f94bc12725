import { SwitchboardError } from '../../protocol/errors.js';
import type { InputRequest, Params } from '../../protocol/messages.js';
import type { StoredTask, TaskChange, TaskStatus } from '../../stores/task-store.js';
import { TERMINAL_STATUSES } from '../../stores/task-store.js';
import type { InputMethod } from '../input.js';
import { checkInputResponse } from '../input.js';

interface PendingAsk {
  request: InputRequest;
  resolve: (result: Params) => void;
  reject: (error: Error) => void;
}

/** What `tasks/get`, `tasks/update` and `tasks/cancel` act on: a task running here, or one only stored. */
export interface TaskHandle {
  readonly taskId: string;
  /** The DetailedTask tasks/get and notifications/tasks carry. */
  detailed(): Params;
  provide(responses: Params): void | Promise<void>;
  cancel(): void | Promise<void>;
}

/**
 * One task running in this process (io.modelcontextprotocol/tasks, SEP-2663): the state of a tools/call that
 * continues after its response, with what only this process has (the handler's signal, the questions it is parked
 * on). Every change goes through `onChange`, which writes it to the store and tells listeners.
 */
export class TaskRecord implements TaskHandle {
  readonly #task: StoredTask;
  readonly #abort = new AbortController();
  readonly #pending = new Map<string, PendingAsk>();
  readonly #onChange: (task: TaskRecord) => void;

  constructor(task: StoredTask, onChange: (task: TaskRecord) => void) {
    this.#task = task;
    this.#onChange = onChange;
  }

  get taskId(): string {
    return this.#task.taskId;
  }
  get principal(): string {
    return this.#task.principal;
  }
  get status(): TaskStatus {
    return this.#task.status;
  }
  get terminal(): boolean {
    return TERMINAL_STATUSES.has(this.#task.status);
  }

  /** Aborts when the task is cancelled; the handler's `ctx.signal` once the call has become a task. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Parks the task on a question to the client; tasks/update answers it. */
  ask(method: InputMethod, params: Params, key: string): Promise<Params> {
    if (this.terminal)
      return Promise.reject(new SwitchboardError('ERR_INPUT_UNAVAILABLE', `the task is ${this.status}`));
    return new Promise((resolve, reject) => {
      this.#pending.set(key, { request: { method, params }, resolve, reject });
      this.#set('input_required');
    });
  }

  /**
   * Delivers answers to outstanding questions. Keys that are not outstanding are ignored (SEP-2663
   * §Task Update Requests); a malformed answer rejects the whole update before anything is applied.
   */
  provide(responses: Params): void {
    const accepted: [string, PendingAsk, Params][] = [];
    for (const [key, value] of Object.entries(responses)) {
      const pending = this.#pending.get(key);
      if (pending !== undefined) accepted.push([key, pending, checkInputResponse(pending.request.method, key, value)]);
    }
    for (const [key, pending, result] of accepted) {
      this.#pending.delete(key);
      pending.resolve(result);
    }
    if (accepted.length === 0) return;
    this.#set(this.#pending.size === 0 ? 'working' : 'input_required');
  }

  complete(result: Params): void {
    if (this.terminal) return;
    this.#task.result = result;
    this.#set('completed');
  }

  fail(error: { code: number; message: string; data?: unknown }): void {
    if (this.terminal) return;
    this.#task.error = error.data === undefined ? { code: error.code, message: error.message } : { ...error };
    this.#set('failed');
  }

  /**
   * Cooperative cancellation: the status settles to cancelled at once and the handler's signal aborts. With
   * `announce: false` (cancelled through another instance, which stored and announced it) nothing is written.
   */
  cancel(options: { announce?: boolean } = {}): void {
    if (this.terminal) return;
    if (options.announce === false) {
      this.#task.status = 'cancelled';
      this.#task.inputRequests = undefined;
    } else this.#set('cancelled');
    this.#abort.abort();
    for (const pending of this.#pending.values())
      pending.reject(new SwitchboardError('ERR_INPUT_UNAVAILABLE', 'the task was cancelled'));
    this.#pending.clear();
  }

  /** The seed state returned instead of the tool result (`resultType: "task"`). */
  createResult(): Params {
    return { resultType: 'task', ...baseOf(this.#task) };
  }

  detailed(): Params {
    return detailedOf(this.#task);
  }

  /** The stored form of the current state. */
  change(): TaskChange {
    const { status, lastUpdatedAt, result, error, inputRequests } = this.#task;
    return { status, lastUpdatedAt, result, error, inputRequests };
  }

  #set(status: TaskStatus): void {
    this.#task.status = status;
    this.#task.lastUpdatedAt = new Date().toISOString();
    this.#task.inputRequests =
      status === 'input_required'
        ? Object.fromEntries([...this.#pending].map(([key, pending]) => [key, pending.request]))
        : undefined;
    this.#onChange(this);
  }
}

/** The DetailedTask of a stored task: its base fields plus what its status carries. */
export function detailedOf(task: StoredTask): Params {
  const detailed = baseOf(task);
  if (task.status === 'input_required' && task.inputRequests !== undefined) detailed.inputRequests = task.inputRequests;
  else if (task.status === 'completed') detailed.result = task.result;
  else if (task.status === 'failed') detailed.error = task.error;
  return detailed;
}

function baseOf(task: StoredTask): Params {
  return {
    taskId: task.taskId,
    status: task.status,
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
}
