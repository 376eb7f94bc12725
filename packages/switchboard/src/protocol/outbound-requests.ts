import { encodeRequest } from './jsonrpc.js';
import type { JsonRpcResponse, Params, RequestId } from './messages.js';

/** A server-to-client request the client answered with a JSON-RPC error. */
export class ClientRequestError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'ClientRequestError';
    this.code = code;
  }
}

interface Waiter {
  resolve: (result: Params) => void;
  reject: (error: Error) => void;
}

/**
 * Server-to-client requests awaiting their answers (2025-era sampling, elicitation, roots). Ids are unique
 * per connection or session; a response is matched to its request by id.
 */
export class OutboundRequests {
  readonly #waiting = new Map<RequestId, Waiter>();
  #next = 0;

  /** Sends a request through `write` and resolves with the client's result; rejects when `signal` aborts. */
  send(method: string, params: Params, signal: AbortSignal, write: (message: string) => void): Promise<Params> {
    const id = `sb-${++this.#next}`;
    return new Promise<Params>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        reject(new Error(`${method} was cancelled`));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal.removeEventListener('abort', onAbort);
      this.#waiting.set(id, {
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      write(encodeRequest(id, method, params));
    });
  }

  /** Delivers a client's response; false when nothing waits for that id. */
  settle(response: JsonRpcResponse): boolean {
    const waiter = this.#waiting.get(response.id);
    if (waiter === undefined) return false;
    this.#waiting.delete(response.id);
    if (response.error !== undefined)
      waiter.reject(new ClientRequestError(response.error.code, response.error.message));
    else waiter.resolve(response.result ?? {});
    return true;
  }

  /** Fails every outstanding request (the connection or session ended). */
  rejectAll(reason: string): void {
    for (const waiter of this.#waiting.values()) waiter.reject(new Error(reason));
    this.#waiting.clear();
  }
}
