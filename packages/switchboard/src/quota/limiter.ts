import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** A budget: `points` requests per `durationSec` seconds (a fixed window, as rate-limiter-flexible counts). */
export interface Limit {
  readonly points: number;
  readonly durationSec: number;
}

/** Where the counters live: this process (default) or a Redis every instance shares. */
export type QuotaStore = 'memory' | { readonly redis: Redis };

/** What happens when the shared store cannot be reached: serve anyway (`open`) or refuse (`closed`, the default). */
export type StoreDown = 'open' | 'closed';

/** One consumption's outcome. */
export type Verdict =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'limited'; readonly retryAfterMs: number }
  | { readonly kind: 'unavailable'; readonly error: Error };

/** A named counter over one budget. */
export class Counter {
  readonly #limiter: RateLimiterAbstract;

  constructor(name: string, limit: Limit, store: QuotaStore, prefix: string) {
    const options = { points: limit.points, duration: limit.durationSec, keyPrefix: `${prefix}:${name}` };
    this.#limiter =
      store === 'memory'
        ? new RateLimiterMemory(options)
        : // A command to a Redis that is not connected fails at once instead of waiting in ioredis's queue.
          new RateLimiterRedis({ ...options, storeClient: store.redis, rejectIfRedisNotReady: true });
  }

  async consume(key: string): Promise<Verdict> {
    try {
      await this.#limiter.consume(key);
      return ALLOWED;
    } catch (outcome) {
      // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, with an Error when the store failed.
      if (outcome instanceof RateLimiterRes) return { kind: 'limited', retryAfterMs: outcome.msBeforeNext };
      return { kind: 'unavailable', error: outcome instanceof Error ? outcome : new Error(String(outcome)) };
    }
  }
}

const ALLOWED: Verdict = Object.freeze({ kind: 'allowed' });

/** Whole seconds to wait, at least 1: what `Retry-After` and the model are told. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
