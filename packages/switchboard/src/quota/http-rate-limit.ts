import { principalKey } from '../protocol/auth.js';
import type { Admit, AdmitRequest } from '../transports/http/options.js';
import type { Limit, QuotaStore, StoreDown } from './limiter.js';
import { Counter, retryAfterSeconds } from './limiter.js';
import type { QuotaRejection } from './quota.js';

export interface HttpRateLimitOptions extends Limit {
  /** Where counters live (default `memory`; `{ redis }` shares them across instances). */
  store?: QuotaStore;
  /**
   * What is counted: by default the caller (`principalKey`) or, for anonymous callers, the first address in
   * `X-Forwarded-For` (set by your load balancer), else one shared budget.
   */
  key?: (request: AdmitRequest) => string;
  /** When the store cannot be reached: `closed` (default) answers 503, `open` serves without counting. */
  whenStoreDown?: StoreDown;
  keyPrefix?: string;
  /** Told of every refused request (metrics count them); `budget` is `http`, or `unavailable` when the store is down. */
  onRejected?: (rejection: QuotaRejection) => void;
}

function defaultKey(request: AdmitRequest): string {
  const principal = principalKey(request.auth);
  if (principal !== '') return principal;
  const forwarded = request.header('x-forwarded-for');
  return forwarded === undefined ? 'anonymous' : `ip:${forwarded.split(',')[0]?.trim()}`;
}

/**
 * An HTTP-level rate limit for `serve({ admit })` or `createNodeHandler(server, { admit })`: counted per HTTP
 * request (POST, GET, DELETE) before the body is read; over the limit the answer is 429 with `Retry-After`.
 */
export function httpRateLimit(options: HttpRateLimitOptions): Admit {
  const counter = new Counter('http', options, options.store ?? 'memory', options.keyPrefix ?? 'switchboard:quota');
  const key = options.key ?? defaultKey;
  const whenDown = options.whenStoreDown ?? 'closed';
  return async (request) => {
    const verdict = await counter.consume(key(request));
    if (verdict.kind === 'allowed') return undefined;
    if (verdict.kind === 'unavailable') {
      if (whenDown === 'open') return undefined;
      options.onRejected?.({ budget: 'unavailable', method: request.method, tool: undefined, retryAfterSec: 5 });
      return {
        status: 503,
        message: 'Service Unavailable: rate limiting cannot reach its store; retry after 5 seconds',
        headers: { 'retry-after': '5' },
      };
    }
    const seconds = retryAfterSeconds(verdict.retryAfterMs);
    options.onRejected?.({ budget: 'http', method: request.method, tool: undefined, retryAfterSec: seconds });
    return {
      status: 429,
      message: `Too Many Requests: ${options.points} requests per ${options.durationSec} s; retry after ${seconds} seconds`,
      headers: { 'retry-after': String(seconds) },
    };
  };
}
