import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { BusRelay } from '../../protocol/bus-relay.js';
import type { McpHost } from '../../protocol/host.js';
import type { JsonRpcNotification, JsonRpcResponse } from '../../protocol/messages.js';
import type { LegacySessionState } from '../../protocol/session.js';
import type { EventStore } from '../../stores/event-store.js';
import type { SessionStore } from '../../stores/session-store.js';
import { SessionRuntime } from './session-runtime.js';

/**
 * Finds, creates and ends 2025-era sessions. State lives in the `SessionStore`; this process keeps a runtime
 * (streams, in-flight requests) for each session it is serving.
 */
export class SessionManager {
  readonly #host: McpHost;
  readonly #store: SessionStore;
  readonly #events: EventStore | undefined;
  readonly #runtimes = new Map<string, SessionRuntime>();
  readonly #idleMs: number;
  readonly #retryMs: number | undefined;
  readonly #logger: Logger;
  #lastSweep = Date.now();
  /** Refreshes busy sessions in the store; runs while this process serves any session. */
  #refresher: NodeJS.Timeout | undefined;
  /** Listening for what other instances relay about sessions this one serves; set on first use. */
  #relays: Promise<unknown> | undefined;
  /** Tells this process's own `session/changed` messages from other instances'. */
  readonly #origin = randomUUID();
  readonly #relay: BusRelay<'session/relay'>;

  constructor(
    host: McpHost,
    store: SessionStore,
    events: EventStore | undefined,
    idleMs: number,
    retryMs: number | undefined,
    relayTimeoutMs: number,
  ) {
    this.#host = host;
    this.#store = store;
    this.#logger = host.logger;
    this.#events = events;
    this.#idleMs = idleMs;
    this.#retryMs = retryMs;
    this.#relay = new BusRelay(host.events, 'session/relay', this.#origin, relayTimeoutMs, host.logger);
  }

  /** Opens a session for the caller whose `principalKey` is `principal`; only that caller can use it later. */
  async create(state: LegacySessionState, principal: string): Promise<SessionRuntime> {
    await this.#sweep();
    await this.#listenForRelays();
    this.#keepBusySessionsAlive();
    // 2025-11-25 transports §Session Management: a cryptographically secure id of visible ASCII.
    const id = randomUUID();
    state.principal = principal;
    await this.#store.create(id, state);
    const runtime = this.#runtime(id, state);
    this.#runtimes.set(id, runtime);
    return runtime;
  }

  /**
   * The session `id` names, if it exists and belongs to `principal`. Another caller's session is answered exactly as
   * an unknown one (2025-11-25 security best practices §Session Hijacking: bind sessions to the user) and logged.
   * Answers synchronously when the store does and this process already serves the session (the memory store's
   * every request after the first): no promise, no microtask turn on the common path.
   */
  find(id: string, principal: string): SessionRuntime | undefined | Promise<SessionRuntime | undefined> {
    const stored = this.#store.get(id);
    if (isThenable(stored)) return Promise.resolve(stored).then((state) => this.#found(id, principal, state));
    return this.#found(id, principal, stored);
  }

  #found(
    id: string,
    principal: string,
    stored: LegacySessionState | undefined,
  ): SessionRuntime | undefined | Promise<SessionRuntime> {
    if (stored === undefined) {
      this.#runtimes.get(id)?.close();
      this.#runtimes.delete(id);
      return undefined;
    }
    if ((stored.principal ?? '') !== principal) {
      this.#logger.warn(
        { sessionPrincipal: stored.principal ?? '', requestPrincipal: principal },
        "request for a 2025-era session made with another principal's credentials: answered as an unknown session",
      );
      return undefined;
    }
    const runtime = this.#runtimes.get(id);
    if (runtime === undefined) return this.#serveHere(id, stored);
    runtime.state = stored;
    runtime.lastSeen = Date.now();
    this.#keepBusySessionsAlive();
    return runtime;
  }

  /** A session this process has no runtime for yet (opened on another instance, or evicted here while idle). */
  async #serveHere(id: string, stored: LegacySessionState): Promise<SessionRuntime> {
    await this.#listenForRelays();
    // Another request for the same session may have built the runtime while this one waited.
    let runtime = this.#runtimes.get(id);
    if (runtime === undefined) {
      runtime = this.#runtime(id, stored);
      this.#runtimes.set(id, runtime);
    } else {
      runtime.state = stored;
    }
    runtime.lastSeen = Date.now();
    this.#keepBusySessionsAlive();
    return runtime;
  }

  /** A runtime whose connection writes the state a request or notification changed back to the store. */
  #runtime(id: string, state: LegacySessionState): SessionRuntime {
    const runtime: SessionRuntime = new SessionRuntime(this.#host, id, state, this.#events, this.#retryMs, {
      persist: async () => {
        await this.#store.save(id, runtime.state);
        await this.#host.events.publish?.({ type: 'session/changed', sessionId: id, origin: this.#origin });
      },
    });
    return runtime;
  }

  /**
   * Hands a client's answer or cancellation to whichever instance runs the request it names (over the bus).
   * Resolves true once that instance took it, false when no instance holds the request; rejects when the bus
   * cannot be reached.
   */
  relay(sessionId: string, message: JsonRpcResponse | JsonRpcNotification): Promise<boolean> {
    return this.#relay.send({ sessionId, message });
  }

  /** Tells the other instances that a connection here resumed a stream, so they close theirs to it. */
  announceResumed(sessionId: string, streamId: string): void {
    this.#host.events
      .publish?.({ type: 'stream/resumed', sessionId, streamId, origin: this.#origin })
      .catch((error: unknown) => this.#logger.warn({ err: error, sessionId }, 'could not announce a resumed stream'));
  }

  /**
   * Once per process: relayed answers and cancellations reach the runtime that waits for them (and are
   * acknowledged), a session whose state changed on another instance (a subscription, the log level) is reloaded
   * here, and a stream resumed elsewhere loses its connection here. A bus that cannot be listened to is logged,
   * and tried again on the next session.
   */
  async #listenForRelays(): Promise<void> {
    this.#relays ??= this.#host.events
      .subscribe((event) => {
        if (event.type === 'session/relay-ack') return this.#relay.acknowledged(event);
        if (event.type !== 'session/relay' && event.type !== 'session/changed' && event.type !== 'stream/resumed')
          return;
        const runtime = this.#runtimes.get(event.sessionId);
        if (runtime === undefined) return;
        if (event.type === 'session/changed') {
          if (event.origin !== this.#origin) void this.#reload(runtime);
          return;
        }
        if (event.type === 'stream/resumed') {
          if (event.origin !== this.#origin) runtime.letGoOf(event.streamId);
          return;
        }
        const { message } = event;
        this.#relay.received(event, () =>
          'method' in message
            ? runtime.connection.cancel(message.params?.requestId)
            : runtime.connection.response(message),
        );
      })
      .catch((error: unknown) => {
        this.#relays = undefined;
        this.#logger.error({ err: error }, 'could not listen for relayed session messages');
      });
    await this.#relays;
  }

  async #reload(runtime: SessionRuntime): Promise<void> {
    try {
      const stored = await this.#store.get(runtime.id);
      if (stored !== undefined) runtime.state = stored;
    } catch (error) {
      this.#logger.warn({ err: error, sessionId: runtime.id }, 'could not reload a session changed elsewhere');
    }
  }

  async terminate(runtime: SessionRuntime): Promise<void> {
    runtime.close();
    this.#runtimes.delete(runtime.id);
    await this.#store.delete(runtime.id);
  }

  /** Sessions this process is serving right now (their runtimes; the store may hold more). */
  get size(): number {
    return this.#runtimes.size;
  }

  closeAll(): void {
    for (const runtime of this.#runtimes.values()) runtime.close();
    this.#runtimes.clear();
    clearInterval(this.#refresher);
    this.#refresher = undefined;
  }

  /**
   * A session whose only traffic is an open GET stream, or a call that runs longer than the idle limit, is in use:
   * while it is busy here its store entry is refreshed a few times per idle period, so the store (this process's
   * or one shared by several instances) does not expire it under the open stream.
   */
  #keepBusySessionsAlive(): void {
    if (this.#refresher !== undefined) return;
    const period = Math.max(1, Math.min(this.#idleMs / 3, 60_000));
    this.#refresher = setInterval(() => this.#refreshBusy(), period);
    this.#refresher.unref();
  }

  #refreshBusy(): void {
    if (this.#runtimes.size === 0) {
      clearInterval(this.#refresher);
      this.#refresher = undefined;
      return;
    }
    const now = Date.now();
    for (const [id, runtime] of this.#runtimes) {
      if (!runtime.busy) continue;
      runtime.lastSeen = now;
      // A refresh that fails (a shared store briefly unreachable) is simply tried again on the next tick.
      const store = this.#store;
      Promise.resolve()
        .then(() => (store.touch ? store.touch(id) : store.get(id)))
        .catch(() => {});
    }
  }

  /**
   * Drops runtimes of sessions idle past the limit; their state stays in the store until it expires there. Idle
   * here is not idle everywhere: the client may use the session through another instance (a GET stream of this
   * runtime resumed there, which that instance keeps touching), so the store's last use counts too.
   */
  async #sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastSweep < this.#idleMs / 4) return;
    this.#lastSweep = now;
    const idle = [...this.#runtimes.values()].filter((runtime) => this.#idleSince(runtime, runtime.lastSeen, now));
    await Promise.all(idle.map((runtime) => this.#dropIfIdleEverywhere(runtime, now)));
  }

  async #dropIfIdleEverywhere(runtime: SessionRuntime, now: number): Promise<void> {
    let seen = runtime.lastSeen;
    if (this.#store.lastSeen !== undefined) {
      try {
        seen = Math.max(seen, (await this.#store.lastSeen(runtime.id)) ?? 0);
      } catch {
        // A shared store briefly unreachable: the next sweep decides.
        return;
      }
    }
    // Used here meanwhile, or dropped already (a DELETE, another sweep).
    if (this.#runtimes.get(runtime.id) !== runtime || !this.#idleSince(runtime, runtime.lastSeen, now)) return;
    if (!this.#idleSince(runtime, seen, now)) {
      runtime.lastSeen = seen;
      return;
    }
    runtime.close();
    this.#runtimes.delete(runtime.id);
  }

  #idleSince(runtime: SessionRuntime, seen: number, now: number): boolean {
    return !runtime.busy && now - seen > this.#idleMs;
  }
}

/** A store's answer that is still on its way (a networked store's promise, or any thenable). */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
