import { SwitchboardError } from '../protocol/errors.js';
import type { LegacySessionState } from '../protocol/session.js';

/** A session store is full: the new session is refused and the ones it holds are kept. */
export class SessionLimitError extends SwitchboardError {
  readonly limit: number;
  constructor(limit: number) {
    super('ERR_SESSION_LIMIT', `This server holds its maximum of ${limit} sessions`);
    this.limit = limit;
  }
}

/**
 * Where 2025-era session state lives. The memory store serves one process; a shared store (Redis) lets every
 * instance behind a load balancer serve the same session.
 */
export interface SessionStore {
  create(id: string, state: LegacySessionState): void | Promise<void>;
  get(id: string): LegacySessionState | undefined | Promise<LegacySessionState | undefined>;
  /** Persists a change (log level, subscriptions, initialized). */
  save(id: string, state: LegacySessionState): void | Promise<void>;
  delete(id: string): void | Promise<void>;
  /**
   * Restarts the session's idle timer without reading it: called periodically while the session has an open
   * stream or a call in flight. Without it, `get` is called instead (and should count as use).
   */
  touch?(id: string): void | Promise<void>;
  /**
   * When the session was last used (read, saved or touched) by any instance sharing the store, in `Date.now()`
   * terms; undefined once it is gone. An instance consults it before dropping a session it sees idle, since the
   * client may be using the session through another instance (a GET stream resumed there). Without it, only this
   * instance's own use counts.
   */
  lastSeen?(id: string): number | undefined | Promise<number | undefined>;
}

export interface MemorySessionStoreOptions {
  /** A session unused this long is forgotten (default 30 minutes). */
  idleTtlMs?: number;
  /**
   * Most sessions kept at once (default 100,000). Past it a new session is refused (`SessionLimitError`) rather
   * than an existing one forgotten: a flood of `initialize` must not end other clients' sessions.
   */
  maxSessions?: number;
}

/** The default session store: state objects in this process, expired when idle. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, { state: LegacySessionState; seen: number }>();
  readonly #idleTtlMs: number;
  readonly #maxSessions: number;
  #lastSweep = Date.now();

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#idleTtlMs = options.idleTtlMs ?? 1_800_000;
    this.#maxSessions = options.maxSessions ?? 100_000;
  }

  get size(): number {
    return this.#sessions.size;
  }

  create(id: string, state: LegacySessionState): void {
    // When full, expired sessions make room; swept at most once a second, so a flood costs no full scan per request.
    if (this.#sessions.size >= this.#maxSessions) this.#sweep(Date.now() - this.#lastSweep > 1000);
    if (this.#sessions.size >= this.#maxSessions) throw new SessionLimitError(this.#maxSessions);
    this.#sweep();
    this.#sessions.set(id, { state, seen: Date.now() });
  }

  get(id: string): LegacySessionState | undefined {
    const entry = this.#sessions.get(id);
    if (entry === undefined) return undefined;
    const now = Date.now();
    if (now - entry.seen > this.#idleTtlMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    // Only `seen` moves: expiry scans every entry, so the map's order means nothing, and re-inserting each
    // session on every request would only churn the table.
    entry.seen = now;
    return entry.state;
  }

  touch(id: string): void {
    const entry = this.#sessions.get(id);
    if (entry === undefined) return;
    entry.seen = Date.now();
  }

  lastSeen(id: string): number | undefined {
    return this.#sessions.get(id)?.seen;
  }

  save(id: string, state: LegacySessionState): void {
    const entry = this.#sessions.get(id);
    if (entry !== undefined) entry.state = state;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(now = false): void {
    const time = Date.now();
    if (!now && time - this.#lastSweep < this.#idleTtlMs / 4) return;
    this.#expire(time);
  }

  #expire(now: number): void {
    this.#lastSweep = now;
    for (const [id, entry] of this.#sessions) if (now - entry.seen > this.#idleTtlMs) this.#sessions.delete(id);
  }
}
