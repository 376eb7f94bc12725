import type { AuthInfo } from '../protocol/auth.js';
import { SwitchboardError } from '../protocol/errors.js';

/** What a verifier learns about the request it verifies a token for. */
export interface VerifyContext {
  /**
   * The canonical URI of this resource as the client reached it. A verifier without a configured audience requires
   * the token to be issued for it (2026-07-28 basic/authorization §Token Handling, RFC 8707 §2).
   */
  readonly resource: string;
}

/**
 * Checks a bearer token and says who is calling. Resolves with the caller's identity, or rejects with
 * `InvalidTokenError` (answered 401 `invalid_token`); any other rejection means the verifier could not decide
 * (its authorization server is down) and is answered 500 and logged.
 */
export interface TokenVerifier {
  verify(token: string, context: VerifyContext): Promise<AuthInfo>;
  /**
   * Longest time a verified token may be reused without asking again, in ms (default: until it expires). An
   * introspection verifier sets this low, since a token revoked at the authorization server stays accepted until
   * its cache entry ends.
   */
  readonly maxCacheMs?: number;
}

/** A verifier written as a plain function: return the caller, or throw `InvalidTokenError`. */
export type VerifyFunction = (token: string, context: VerifyContext) => AuthInfo | Promise<AuthInfo>;

/**
 * A token that is not acceptable: malformed, expired, for another audience, from another issuer, badly signed,
 * revoked. The message goes to the client as the challenge's `error_description`, so keep it to what a developer
 * needs and never echo the token.
 */
export class InvalidTokenError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_INVALID_TOKEN', message);
  }
}

/** The verifier could not reach what it needs to decide (JWKS, discovery, introspection endpoint). */
export class AuthUnavailableError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_AUTH_UNAVAILABLE', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A verifier from a function, for tokens only your code understands (API keys, a vendor's opaque tokens). */
export function customVerifier(verify: VerifyFunction, options: { maxCacheMs?: number } = {}): TokenVerifier {
  return { verify: async (token, context) => verify(token, context), maxCacheMs: options.maxCacheMs };
}

/** A verifier or a verify function, as the `auth` option takes them. */
export function toVerifier(verifier: TokenVerifier | VerifyFunction): TokenVerifier {
  return typeof verifier === 'function' ? customVerifier(verifier) : verifier;
}
