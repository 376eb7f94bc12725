import type { AuthInfo } from '../protocol/auth.js';

/** How long a verified token without `exp` is reused. */
const NO_EXPIRY_MS = 60_000;

interface Entry {
  readonly auth: AuthInfo;
  readonly until: number;
}

/**
 * Verified credentials, so a repeated token costs a map lookup instead of a signature check or an introspection
 * round trip. Bounded twice: an entry ends at the token's `exp` (or sooner, `maxAgeMs`), and past `maxEntries` the
 * least recently used goes. It lives in this process's memory only, where the request's own copy of the token is
 * anyway: never persisted, shared or logged (2026-07-28 basic/authorization/security-considerations §Token Theft).
 * Keys are the raw credentials rather than a digest: hashing cost more per request than the rest of authentication.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The key credentials are filed under for one resource (a token verified for one audience says nothing of another). */
  key(credentials: string, resource: string): string {
    return `${resource} ${credentials}`;
  }

  get(key: string, now = Date.now()): AuthInfo | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.until <= now) return undefined;
    this.#entries.set(key, entry);
    return entry.auth;
  }

  set(key: string, auth: AuthInfo, maxAgeMs: number, now = Date.now()): void {
    const expiresAt = (auth as { expiresAt?: number }).expiresAt;
    const until = Math.min(expiresAt === undefined ? now + NO_EXPIRY_MS : expiresAt * 1000, now + maxAgeMs);
    if (until <= now || this.#maxEntries <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { auth, until });
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
