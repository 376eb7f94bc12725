import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Counts attempts per key in a fixed window: password guesses per username and address (NIST SP 800-63B §5.2.2
 * asks for rate limiting online guessing), dynamic client registrations per address.
 */
export class AttemptLimiter {
  readonly #limiter: RateLimiterMemory;

  /** `attempts` per `windowSeconds` for one key. */
  constructor(attempts: number, windowSeconds: number) {
    this.#limiter = new RateLimiterMemory({ points: attempts, duration: windowSeconds });
  }

  /** Counts one attempt; false when the budget is spent. */
  async allow(key: string): Promise<boolean> {
    try {
      await this.#limiter.consume(key);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }

  /** Clears a key's count (a successful sign-in). */
  async reset(key: string): Promise<void> {
    await this.#limiter.delete(key);
  }
}
