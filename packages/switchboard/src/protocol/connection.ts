import type { AuthInfo } from './auth.js';
import { ANONYMOUS } from './auth.js';
import type { Reply } from './engine.js';
import { ErrorCode } from './errors.js';
import { sessionNotification } from './events.js';
import type { McpHost } from './host.js';
import { encodeError, encodeId } from './jsonrpc.js';
import type { Link } from './link.js';
import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, Params, RequestId } from './messages.js';
import type { SessionSlot } from './method-table.js';
import { OutboundRequests } from './outbound-requests.js';
import { META } from './versions.js';

/** Methods whose handling changes session state that a store must keep. */
const STATEFUL_METHODS = new Set(['logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

/** A request's way back to the client, which the connection can cancel (`notifications/cancelled`). */
export interface RequestLink extends Link {
  cancel(): void;
  readonly cancelled: boolean;
}

/** A link that writes the final reply itself (an HTTP response). */
export interface AnsweringLink extends RequestLink {
  finish(reply: Reply): void;
}

export interface ConnectionOptions {
  /** Called after a request or notification changed the session's state: an HTTP session writes it to its store. */
  persist?: () => Promise<void>;
}

/** A request carrying the per-request `_meta` envelope is a 2026-07-28 request, whatever the connection is. */
export function isModernRequest(message: { params?: Params }): boolean {
  const meta = message.params?._meta;
  return typeof meta === 'object' && meta !== null && (meta as Params)[META.protocolVersion] !== undefined;
}

/**
 * One client's conversation with the server, whatever carries its bytes: a stdio connection, a 2025-era HTTP
 * session, or the in-memory `TestClient`. It owns what those share: requests in flight and their cancellation,
 * the client's notifications, server-to-client requests and their answers, and the server events a 2025-era
 * session receives unprompted. Transports only move bytes to and from it.
 */
export class Connection {
  readonly #host: McpHost;
  /** The 2025-era session state (`initialize` fills it); 2026-07-28 requests run without it. */
  readonly slot: SessionSlot;
  readonly #persist: (() => Promise<void>) | undefined;
  readonly #inflight = new Map<RequestId, RequestLink>();
  #outbound: OutboundRequests | undefined;
  #unsubscribe: Promise<(() => void) | undefined> | undefined;
  #closed = false;

  constructor(host: McpHost, slot: SessionSlot, options: ConnectionOptions = {}) {
    this.#host = host;
    this.slot = slot;
    this.#persist = options.persist;
  }

  /** Requests being served right now. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /**
   * Serves one request and resolves with its reply; the transport sends it unless `link` was cancelled meanwhile.
   * A reused id of a request still in flight is refused (2025-11-25 basic/index §Requests: a requestor MUST NOT
   * reuse an id); the first request keeps it.
   */
  async request(message: JsonRpcRequest, link: RequestLink, auth?: AuthInfo): Promise<Reply> {
    const refused = this.#admit(message, link);
    if (refused !== undefined) return refused;
    try {
      return await this.#serve(message, link, auth);
    } finally {
      this.#release(message, link);
    }
  }

  /**
   * `request`, with the reply handed to `link.finish` once the request is no longer in flight: one `async` step
   * fewer between the transport and the engine, for a transport whose link writes the answer itself (HTTP).
   */
  async respond(message: JsonRpcRequest, link: AnsweringLink, auth?: AuthInfo): Promise<void> {
    let reply = this.#admit(message, link);
    if (reply === undefined) {
      try {
        reply = await this.#serve(message, link, auth);
      } finally {
        this.#release(message, link);
      }
    }
    link.finish(reply);
  }

  /** The refusal of a reused id, or undefined once the request is registered as in flight. */
  #admit(message: JsonRpcRequest, link: RequestLink): Reply | undefined {
    if (this.#inflight.has(message.id)) {
      const text = `Invalid Request: a request with id ${encodeId(message.id)} is still in flight`;
      return { status: 400, body: encodeError(message.id, ErrorCode.InvalidRequest, text) };
    }
    this.#inflight.set(message.id, link);
    return undefined;
  }

  #release(message: JsonRpcRequest, link: RequestLink): void {
    if (this.#inflight.get(message.id) === link) this.#inflight.delete(message.id);
  }

  /** Dispatches the request; only a method that changed the session's state waits for the store to keep it. */
  #serve(message: JsonRpcRequest, link: RequestLink, auth: AuthInfo | undefined): Promise<Reply> {
    const modern = isModernRequest(message);
    const reply = this.#host.dispatcher.handleRequest(message, { link, session: modern ? undefined : this.slot, auth });
    if (modern || !STATEFUL_METHODS.has(message.method) || this.#persist === undefined) return reply;
    return this.#persisted(reply);
  }

  async #persisted(reply: Promise<Reply>): Promise<Reply> {
    const answer = await reply;
    await this.#persist?.();
    return answer;
  }

  /**
   * A client notification: cancellation reaches the request it names (unknown or finished ids are ignored, as
   * 2025-11-25 basic/utilities/cancellation allows), `initialized` completes the handshake, and the server's
   * notification hooks see every one.
   */
  async notification(message: JsonRpcNotification, auth?: AuthInfo): Promise<void> {
    const params = message.params ?? {};
    const state = this.slot.state;
    if (message.method === 'notifications/cancelled') {
      this.cancel(params.requestId);
    } else if (message.method === 'notifications/initialized' && state !== undefined && !state.initialized) {
      state.initialized = true;
      await this.#persist?.();
    }
    await this.#host.notified(
      { method: message.method, params },
      { era: state === undefined ? 'modern' : 'legacy', auth: auth ?? ANONYMOUS },
    );
  }

  /** Cancels the request in flight with this id; false when none is (finished, or running elsewhere). */
  cancel(requestId: unknown): boolean {
    if (typeof requestId !== 'string' && typeof requestId !== 'number' && typeof requestId !== 'bigint') return false;
    const link = this.#inflight.get(requestId);
    link?.cancel();
    return link !== undefined;
  }

  /** A client's answer to a server-to-client request; false when nothing waits for that id. */
  response(message: JsonRpcResponse): boolean {
    return this.#outbound?.settle(message) ?? false;
  }

  /** Asks the client (2025-era sampling, elicitation, roots): `write` sends the request where the client reads it. */
  ask(method: string, params: Params, signal: AbortSignal, write: (message: string) => void): Promise<Params> {
    this.#outbound ??= new OutboundRequests(this.#host.limits?.maxPendingClientRequests);
    return this.#outbound.send(method, params, signal, write);
  }

  /**
   * From now on, server events that concern this 2025-era session (list changes, subscribed resource updates)
   * go to `send` as notifications. Idempotent; resolves once listening.
   */
  async listen(send: (notification: string) => void): Promise<void> {
    if (this.#closed) return;
    this.#unsubscribe ??= this.#host.events
      .subscribe((event) => {
        if (this.#closed) return;
        const notification = sessionNotification(event, this.slot.state?.subscriptions);
        if (notification !== undefined) send(notification);
      })
      .catch((error: unknown) => {
        this.#host.logger.error({ err: error }, 'could not listen for server events');
        return undefined;
      });
    const unsubscribe = await this.#unsubscribe;
    if (this.#closed) unsubscribe?.();
  }

  /** Fails every question to the client still waiting for its answer. */
  rejectQuestions(reason: string): void {
    this.#outbound?.rejectAll(reason);
  }

  /** Ends the conversation: requests in flight are cancelled, questions fail, events stop. */
  close(reason = 'connection closed'): void {
    this.#closed = true;
    for (const link of this.#inflight.values()) link.cancel();
    this.rejectQuestions(reason);
    void this.#unsubscribe?.then((unsubscribe) => unsubscribe?.());
    this.#unsubscribe = undefined;
  }
}
