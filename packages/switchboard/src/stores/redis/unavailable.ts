import { StoreUnavailableError } from '../../protocol/errors.js';

/**
 * The same store, whose failed calls reject with `StoreUnavailableError` (code `ERR_STORE_UNAVAILABLE`) instead of
 * ioredis's own errors, so the HTTP endpoint can answer 503 with a clear message while Redis is away, and recover
 * by itself once ioredis has reconnected.
 */
export function reportingUnavailable<T extends object>(store: T, what: string): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const outcome = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(outcome instanceof Promise)) return outcome;
        return outcome.catch((error: unknown) => {
          if (error instanceof StoreUnavailableError) throw error;
          throw new StoreUnavailableError(`${what} is unreachable: ${(error as Error).message}`);
        });
      };
    },
  });
}
