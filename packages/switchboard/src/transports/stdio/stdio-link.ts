import { CancellableLink } from '../../protocol/cancellable-link.js';
import { encodeNotification } from '../../protocol/jsonrpc.js';
import type { Link } from '../../protocol/link.js';
import type { Params } from '../../protocol/messages.js';

/** Sends outbound messages of a connection: one JSON text per line. */
export interface LineWriter {
  /** Writes one message; `now` sends it (and anything queued before it) at once instead of with the batch. */
  writeLine(line: string, now?: boolean): void;
  /** Sends a server-to-client request and resolves with the client's result (2025-era connections). */
  request(method: string, params: Params, signal: AbortSignal): Promise<Params>;
}

/** The `Link` of one request on stdio: cancellation comes from `notifications/cancelled` (both eras). */
export class StdioLink extends CancellableLink implements Link {
  readonly #writer: LineWriter;
  readonly #legacy: boolean;

  constructor(writer: LineWriter, legacy: boolean) {
    super();
    this.#writer = writer;
    this.#legacy = legacy;
  }

  notify(method: string, params: Params): void {
    // 2026-07-28 basic/transports/stdio §Cancellation: no further messages for a cancelled request.
    // Sent at once, so a client sees progress and log messages before the result they precede.
    if (!this.cancelled) this.#writer.writeLine(encodeNotification(method, params), true);
  }

  get request(): Link['request'] {
    return this.#legacy ? (method, params, signal) => this.#writer.request(method, params, signal) : undefined;
  }
}
