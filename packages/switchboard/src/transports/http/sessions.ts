import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { McpHost } from '../../protocol/host.js';
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

  constructor(
    host: McpHost,
    store: SessionStore,
    events: EventStore | undefined,
    idleMs: number,
    retryMs: number | undefined,
  ) {
    this.#host = host;
    this.#store = store;
    this.#logger = host.logger;
    this.#events = events;
    this.#idleMs = idleMs;
    this.#retryMs = retryMs;
  }

  /** Opens a session for the caller whose `principalKey` is `principal`; only that caller can use it later. */
  async create(state: LegacySessionState, principal: string): Promise<SessionRuntime> {
    this.#sweep();
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
   */
  async find(id: string, principal: string): Promise<SessionRuntime | undefined> {
    const stored = await this.#store.get(id);
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
      },
    });
    return runtime;
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

  /** Drops runtimes of sessions idle past the limit; their state stays in the store until it expires there. */
  #sweep(): void {
    const now = Date.now();
    if (now - this.#lastSweep < this.#idleMs / 4) return;
    this.#lastSweep = now;
    for (const [id, runtime] of this.#runtimes) {
      if (!runtime.busy && now - runtime.lastSeen > this.#idleMs) {
        runtime.close();
        this.#runtimes.delete(id);
      }
    }
  }
}
