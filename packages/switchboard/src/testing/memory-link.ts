import type { Link } from '../protocol/link.js';
import type { Params } from '../protocol/messages.js';

/**
 * The `Link` of one request sent by the test client. Cancellation works as on the real transports: `cancel()`
 * aborts the handler's `ctx.signal`, and from then on nothing more reaches the client (the stdio link and the
 * HTTP reply drop a cancelled request's notifications and response the same way).
 */
export class MemoryLink implements Link {
  readonly #deliver: (method: string, params: Params) => void;
  readonly request: Link['request'];
  #abort: AbortController | undefined;
  #cancelled = false;

  constructor(deliver: (method: string, params: Params) => void, request: Link['request']) {
    this.#deliver = deliver;
    this.request = request;
  }

  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.#cancelled) this.#abort.abort();
    return this.#abort.signal;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#abort?.abort();
  }

  notify(method: string, params: Params): void {
    // 2026-07-28 basic/transports/stdio §Cancellation: no further messages for a cancelled request.
    if (!this.#cancelled) this.#deliver(method, params);
  }
}
