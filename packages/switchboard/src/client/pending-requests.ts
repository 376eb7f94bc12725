import type { JsonRpcResponse, RequestId } from '../protocol/messages.js';
import { ConnectionError } from './errors.js';

interface Waiter {
  resolve: (response: JsonRpcResponse) => void;
  reject: (error: Error) => void;
}

/** Requests sent on a shared stream (stdio) awaiting their responses, matched by id. */
export class PendingRequests {
  readonly #waiting = new Map<RequestId, Waiter>();

  get size(): number {
    return this.#waiting.size;
  }

  wait(id: RequestId): Promise<JsonRpcResponse> {
    return new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }

  /** Delivers a response; false when nothing waits for its id. */
  settle(response: JsonRpcResponse): boolean {
    const waiter = this.#waiting.get(response.id);
    if (waiter === undefined) return false;
    this.#waiting.delete(response.id);
    waiter.resolve(response);
    return true;
  }

  forget(id: RequestId, reason: Error): void {
    this.#waiting.get(id)?.reject(reason);
    this.#waiting.delete(id);
  }

  rejectAll(message: string): void {
    for (const waiter of this.#waiting.values()) waiter.reject(new ConnectionError(message));
    this.#waiting.clear();
  }
}
