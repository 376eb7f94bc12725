import { principalKey } from '../protocol/auth.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { Result } from '../protocol/messages.js';
import type { Middleware, MiddlewareCall } from '../server/middleware/types.js';
import type { Limit, QuotaStore, StoreDown, Verdict } from './limiter.js';
import { Counter, retryAfterSeconds } from './limiter.js';

/** A tool's own budget: per caller (default) or shared by every caller of the tool. */
export interface ToolLimit extends Limit {
  readonly per?: 'principal' | 'all';
}

export interface QuotaOptions {
  /** Where counters live (default `memory`; `{ redis }` shares them across instances). */
  store?: QuotaStore;
  /** Every request of one caller (`principalKey`; anonymous callers share one budget). */
  perPrincipal?: Limit;
  /** `tools/call` of the named tools. */
  perTool?: Readonly<Record<string, ToolLimit>>;
  /** Every request of every caller, on every instance sharing the store. */
  global?: Limit;
  /** When the store cannot be reached: `closed` (default) refuses, `open` serves without counting. */
  whenStoreDown?: StoreDown;
  /** Key prefix in the store (default `switchboard:quota`); give each server its own. */
  keyPrefix?: string;
  /** Seconds a caller is told to wait when the store is down and `whenStoreDown` is `closed` (default 5). */
  storeDownRetrySec?: number;
  /** Told of every refused request (metrics count them). */
  onRejected?: (rejection: QuotaRejection) => void;
}

/** Which budget refused a request (`http`: `httpRateLimit()`); `unavailable` when the store could not be reached. */
export type QuotaBudget = 'principal' | 'tool' | 'global' | 'http' | 'unavailable';

export interface QuotaRejection {
  readonly budget: QuotaBudget;
  readonly method: string;
  readonly tool: string | undefined;
  readonly retryAfterSec: number;
}

interface Check {
  readonly budget: 'principal' | 'tool' | 'global';
  readonly counter: Counter;
  readonly limit: Limit;
  readonly key: (call: MiddlewareCall, principal: string) => string;
}

/**
 * Rate limits and quotas as middleware: per caller, per tool and global, counted in memory or in Redis shared by
 * every instance. A refused `tools/call` gets an `isError` result telling the model when to retry; any other request
 * a JSON-RPC error with HTTP 429 and `Retry-After` (in both eras).
 */
export function quota(options: QuotaOptions): Middleware {
  const store = options.store ?? 'memory';
  const prefix = options.keyPrefix ?? 'switchboard:quota';
  const principalChecks: Check[] = [];
  if (options.perPrincipal !== undefined) {
    const limit = options.perPrincipal;
    const counter = new Counter('principal', limit, store, prefix);
    principalChecks.push({ budget: 'principal', counter, limit, key: (_call, principal) => principal });
  }
  const globalChecks: Check[] = [];
  if (options.global !== undefined) {
    const counter = new Counter('global', options.global, store, prefix);
    globalChecks.push({ budget: 'global', counter, limit: options.global, key: () => '*' });
  }
  const baseChecks = [...principalChecks, ...globalChecks];
  // Each limited tool's checks, in order, built once: per caller, the tool's own, global.
  const toolChecks = new Map<string, Check[]>();
  for (const [name, limit] of Object.entries(options.perTool ?? {})) {
    const counter = new Counter(`tool:${name}`, limit, store, prefix);
    const key = limit.per === 'all' ? () => '*' : (_call: MiddlewareCall, principal: string) => principal;
    toolChecks.set(name, [...principalChecks, { budget: 'tool', counter, limit, key }, ...globalChecks]);
  }
  const whenDown = options.whenStoreDown ?? 'closed';
  const downRetrySec = options.storeDownRetrySec ?? 5;
  let lastOutageLog = 0;

  return async (call, next) => {
    const principal = principalKey(call.auth) || 'anonymous';
    const tool = call.method === 'tools/call' && call.target?.kind === 'tool' ? call.target.name : undefined;
    const checks = (tool === undefined ? undefined : toolChecks.get(tool)) ?? baseChecks;
    for (const check of checks) {
      const verdict: Verdict = await check.counter.consume(check.key(call, principal));
      if (verdict.kind === 'allowed') continue;
      if (verdict.kind === 'unavailable') {
        const now = Date.now();
        // One line per outage second or so, not one per request.
        if (now - lastOutageLog > 1_000) {
          lastOutageLog = now;
          call.ctx.logger.error(
            { err: verdict.error, whenStoreDown: whenDown },
            whenDown === 'open'
              ? 'quota store unreachable: serving without limits'
              : 'quota store unreachable: refusing requests',
          );
        }
        if (whenDown === 'open') return next();
        return refuse(call, tool, 'unavailable', downRetrySec, options.onRejected, undefined);
      }
      return refuse(call, tool, check.budget, retryAfterSeconds(verdict.retryAfterMs), options.onRejected, check.limit);
    }
    return next();
  };
}

function refuse(
  call: MiddlewareCall,
  tool: string | undefined,
  budget: QuotaBudget,
  retryAfterSec: number,
  onRejected: QuotaOptions['onRejected'],
  limit: Limit | undefined,
): Result {
  onRejected?.({ budget, method: call.method, tool, retryAfterSec });
  const why =
    limit === undefined
      ? 'Rate limiting is unavailable right now (its store cannot be reached)'
      : `Rate limit reached: ${describeBudget(budget, tool)} allows ${limit.points} per ${limit.durationSec} s`;
  const advice = `Retry after ${retryAfterSec} second${retryAfterSec === 1 ? '' : 's'}.`;
  if (tool !== undefined) {
    return { content: [{ type: 'text', text: `${why}. ${advice}` }], isError: true };
  }
  const status = limit === undefined ? 503 : 429;
  const code = limit === undefined ? ErrorCode.InternalError : ErrorCode.RateLimited;
  throw new ProtocolError(code, `${why}. ${advice}`, { retryAfterSeconds: retryAfterSec }, status, {
    headers: { 'retry-after': String(retryAfterSec) },
    everyEra: true,
  });
}

function describeBudget(budget: QuotaBudget, tool: string | undefined): string {
  switch (budget) {
    case 'principal':
      return 'your request budget';
    case 'tool':
      return `the tool "${tool}"`;
    default:
      return 'the server-wide budget';
  }
}
