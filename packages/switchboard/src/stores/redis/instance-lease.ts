import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * This process's liveness in Redis: a key that expires `leaseMs` after its last refresh, refreshed a few times per
 * lease while the process runs. Another instance that finds it gone knows this process stopped (killed, or cut off
 * from Redis longer than the lease). Started on first use; `close` drops the key at once.
 */
export class InstanceLease {
  /** Names this process among the instances sharing the prefix. */
  readonly id = randomBytes(9).toString('base64url');
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(redis: Redis, prefix: string, leaseMs: number) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#leaseMs = leaseMs;
  }

  /** The lease key of the instance `id`; one prefix for all, so a script can build any instance's key. */
  static keyPrefix(prefix: string): string {
    return `${prefix}instance:`;
  }

  /**
   * Holds the lease from now on. The first refresh is sent at once, on the connection later commands use, so Redis
   * has the key before anything that names this instance as its owner.
   */
  hold(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#refresh();
    this.#timer = setInterval(() => this.#refresh(), Math.max(1, Math.floor(this.#leaseMs / 3)));
    this.#timer.unref();
  }

  /** Gives the lease up for good (a clean shutdown): whoever follows this process's streams learns it at their next check. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#redis.del(this.#key()).catch(() => {});
  }

  #refresh(): void {
    // A refresh that fails (Redis briefly away) is simply tried again on the next tick.
    this.#redis.set(this.#key(), '1', 'PX', this.#leaseMs).catch(() => {});
  }

  #key(): string {
    return `${InstanceLease.keyPrefix(this.#prefix)}${this.id}`;
  }
}
