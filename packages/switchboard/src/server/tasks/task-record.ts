import { randomUUID } from 'node:crypto';
import { SwitchboardError } from '../../protocol/errors.js';
import type { InputRequest, Params } from '../../protocol/messages.js';
import type { InputMethod } from '../input.js';
import { checkInputResponse } from '../input.js';

/** SEP-2663 task states; the last three are terminal. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

interface PendingAsk {
  request: InputRequest;
  resolve: (result: Params) => void;
  reject: (error: Error) => void;
}

/**
 * One task (io.modelcontextprotocol/tasks, SEP-2663): the state of a tools/call that continues after its
 * response, observed with tasks/get, fed with tasks/update, stopped with tasks/cancel.
 */
export class TaskRecord {
  readonly taskId = randomUUID();
  readonly principal: string;
  readonly createdAt = new Date().toISOString();
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  readonly #abort = new AbortController();
  readonly #pending = new Map<string, PendingAsk>();
  readonly #onChange: (task: TaskRecord) => void;
  status: TaskStatus = 'working';
  lastUpdatedAt = this.createdAt;
  #result: Params | undefined;
  #error: Params | undefined;

  constructor(principal: string, ttlMs: number, pollIntervalMs: number, onChange: (task: TaskRecord) => void) {
    this.principal = principal;
    this.ttlMs = ttlMs;
    this.pollIntervalMs = pollIntervalMs;
    this.#onChange = onChange;
  }

  get terminal(): boolean {
    return TERMINAL.has(this.status);
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
    if (accepted.length > 0 && this.status === 'input_required' && this.#pending.size === 0) this.#set('working');
  }

  complete(result: Params): void {
    if (this.terminal) return;
    this.#result = result;
    this.#set('completed');
  }

  fail(error: { code: number; message: string; data?: unknown }): void {
    if (this.terminal) return;
    this.#error = error.data === undefined ? { code: error.code, message: error.message } : { ...error };
    this.#set('failed');
  }

  /** Cooperative cancellation: the status settles to cancelled at once and the handler's signal aborts. */
  cancel(): void {
    if (this.terminal) return;
    this.#set('cancelled');
    this.#abort.abort();
    for (const pending of this.#pending.values())
      pending.reject(new SwitchboardError('ERR_INPUT_UNAVAILABLE', 'the task was cancelled'));
    this.#pending.clear();
  }

  /** The seed state returned instead of the tool result (`resultType: "task"`). */
  createResult(): Params {
    return { resultType: 'task', ...this.#base() };
  }

  /** The DetailedTask tasks/get and notifications/tasks carry. */
  detailed(): Params {
    const task = this.#base();
    if (this.status === 'input_required') {
      task.inputRequests = Object.fromEntries([...this.#pending].map(([key, pending]) => [key, pending.request]));
    } else if (this.status === 'completed') {
      task.result = this.#result;
    } else if (this.status === 'failed') {
      task.error = this.#error;
    }
    return task;
  }

  #base(): Params {
    return {
      taskId: this.taskId,
      status: this.status,
      createdAt: this.createdAt,
      lastUpdatedAt: this.lastUpdatedAt,
      ttlMs: this.ttlMs,
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  #set(status: TaskStatus): void {
    this.status = status;
    this.lastUpdatedAt = new Date().toISOString();
    this.#onChange(this);
  }
}
