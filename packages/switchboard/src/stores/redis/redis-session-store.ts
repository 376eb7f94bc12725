import type { Redis } from 'ioredis';
import type { LegacySessionState } from '../../protocol/session.js';
import type { SessionStore } from '../session-store.js';

export interface RedisSessionStoreOptions {
  /** Key prefix shared by every instance of one server (default `switchboard:`). */
  prefix?: string;
  /** A session unused this long is forgotten (default 30 minutes); every read or touch restarts the clock. */
  idleTtlMs?: number;
}

/**
 * 2025-era session state in Redis, so every instance behind a load balancer serves every session: one JSON value
 * per session with a sliding idle TTL (Redis expires idle sessions; nothing to sweep).
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;

  constructor(redis: Redis, options: RedisSessionStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = `${options.prefix ?? 'switchboard:'}session:`;
    this.#ttlMs = options.idleTtlMs ?? 1_800_000;
  }

  async create(id: string, state: LegacySessionState): Promise<void> {
    await this.#redis.set(this.#prefix + id, JSON.stringify(state), 'PX', this.#ttlMs);
  }

  async get(id: string): Promise<LegacySessionState | undefined> {
    const value = await this.#redis.getex(this.#prefix + id, 'PX', this.#ttlMs);
    return value === null ? undefined : (JSON.parse(value) as LegacySessionState);
  }

  /** Only an existing session is written: a save racing a DELETE must not bring the session back. */
  async save(id: string, state: LegacySessionState): Promise<void> {
    await this.#redis.set(this.#prefix + id, JSON.stringify(state), 'PX', this.#ttlMs, 'XX');
  }

  async delete(id: string): Promise<void> {
    await this.#redis.del(this.#prefix + id);
  }

  async touch(id: string): Promise<void> {
    await this.#redis.pexpire(this.#prefix + id, this.#ttlMs);
  }

  /**
   * Every use restarts the key's TTL, so the time left tells when it was last used, by any instance. Read from
   * Redis's own clock as a duration, it needs no agreement between the instances' clocks.
   */
  async lastSeen(id: string): Promise<number | undefined> {
    const left = await this.#redis.pttl(this.#prefix + id);
    return left < 0 ? undefined : Date.now() - Math.max(0, this.#ttlMs - left);
  }
}
