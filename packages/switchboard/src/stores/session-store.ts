import type { LegacySessionState } from '../protocol/session.js';

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
}

export interface MemorySessionStoreOptions {
  /** A session unused this long is forgotten (default 30 minutes). */
  idleTtlMs?: number;
  /** Most sessions kept at once; past it the least recently used is forgotten (default 100,000). */
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
    this.#sweep();
    this.#sessions.set(id, { state, seen: Date.now() });
    // Map order is least recently used first (get() moves a session to the end), so evict from the front.
    for (const oldest of this.#sessions.keys()) {
      if (this.#sessions.size <= this.#maxSessions) break;
      this.#sessions.delete(oldest);
    }
  }

  get(id: string): LegacySessionState | undefined {
    const entry = this.#sessions.get(id);
    if (entry === undefined) return undefined;
    const now = Date.now();
    if (now - entry.seen > this.#idleTtlMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    entry.seen = now;
    this.#sessions.delete(id);
    this.#sessions.set(id, entry);
    return entry.state;
  }

  touch(id: string): void {
    const entry = this.#sessions.get(id);
    if (entry === undefined) return;
    entry.seen = Date.now();
    this.#sessions.delete(id);
    this.#sessions.set(id, entry);
  }

  save(id: string, state: LegacySessionState): void {
    const entry = this.#sessions.get(id);
    if (entry !== undefined) entry.state = state;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = Date.now();
    if (now - this.#lastSweep < this.#idleTtlMs / 4) return;
    this.#lastSweep = now;
    for (const [id, entry] of this.#sessions) if (now - entry.seen > this.#idleTtlMs) this.#sessions.delete(id);
  }
}
