import { CancellableLink } from '../protocol/cancellable-link.js';
import type { Link } from '../protocol/link.js';
import type { Params } from '../protocol/messages.js';

/**
 * The `Link` of one request sent by the test client. Cancellation works as on the real transports: `cancel()`
 * aborts the handler's `ctx.signal`, and from then on nothing more reaches the client (the stdio link and the
 * HTTP reply drop a cancelled request's notifications and response the same way).
 */
export class MemoryLink extends CancellableLink implements Link {
  readonly #deliver: (method: string, params: Params) => void;
  readonly request: Link['request'];

  constructor(deliver: (method: string, params: Params) => void, request: Link['request']) {
    super();
    this.#deliver = deliver;
    this.request = request;
  }

  notify(method: string, params: Params): void {
    // 2026-07-28 basic/transports/stdio §Cancellation: no further messages for a cancelled request.
    if (!this.cancelled) this.#deliver(method, params);
  }
}
