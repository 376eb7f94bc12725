import { SwitchboardError } from './errors.js';
import { encodeNotification, encodeRequest } from './jsonrpc.js';
import type { JsonRpcResponse, Params, RequestId } from './messages.js';
import { describeValue, exceedsDepth } from './untrusted.js';

/**
 * A question to the client (2025-era sampling, elicitation, roots) that got no answer: the client answered with a
 * JSON-RPC error (`rpcCode` is its code) or went away. A tool that does not catch it tells the model why.
 */
export class ClientRequestError extends SwitchboardError {
  readonly rpcCode: number | undefined;
  constructor(message: string, rpcCode?: number) {
    super('ERR_INPUT_UNAVAILABLE', message);
    this.rpcCode = rpcCode;
  }
}

interface Waiter {
  method: string;
  resolve: (result: Params) => void;
  reject: (error: Error) => void;
}

/**
 * Server-to-client requests awaiting their answers (2025-era sampling, elicitation, roots). Ids are unique
 * per connection or session; a response is matched to its request by id.
 */
export class OutboundRequests {
  readonly #waiting = new Map<RequestId, Waiter>();
  readonly #max: number;
  #next = 0;

  /** `max`: questions that may wait for answers at once; one more is refused, and those waiting go on. */
  constructor(max = 100) {
    this.#max = max;
  }

  /**
   * Sends a request through `write` and resolves with the client's result. When `signal` aborts (the call that
   * asked was cancelled or answered), the client is told with `notifications/cancelled` (2025-11-25
   * basic/utilities/cancellation), so a dialog it shows for the question can close.
   */
  send(method: string, params: Params, signal: AbortSignal, write: (message: string) => void): Promise<Params> {
    const id = `sb-${++this.#next}`;
    return new Promise<Params>((resolve, reject) => {
      if (signal.aborted) return reject(new ClientRequestError(`${method} was cancelled`));
      if (this.#waiting.size >= this.#max) {
        const text = `${method} was not sent: ${this.#max} questions already wait for the client's answers`;
        return reject(new ClientRequestError(text));
      }
      const onAbort = () => {
        this.#waiting.delete(id);
        write(
          encodeNotification('notifications/cancelled', { requestId: id, reason: 'The server request was cancelled' }),
        );
        reject(new ClientRequestError(`${method} was cancelled`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal.removeEventListener('abort', onAbort);
      this.#waiting.set(id, {
        method,
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
    if (exceedsDepth(response.result)) {
      waiter.reject(new ClientRequestError(`The client's answer to ${waiter.method} is nested too deeply to read`));
    } else if (response.error !== undefined) {
      const { code, message } = response.error;
      const text = `The client answered ${waiter.method} with an error: ${describeValue(message)}`;
      waiter.reject(new ClientRequestError(text, typeof code === 'number' ? code : undefined));
    } else waiter.resolve(response.result ?? {});
    return true;
  }

  /** Fails every outstanding request (the connection or session ended). */
  rejectAll(reason: string): void {
    for (const waiter of this.#waiting.values()) {
      waiter.reject(new ClientRequestError(`${waiter.method} got no answer: ${reason}`));
    }
    this.#waiting.clear();
  }
}
