/** The caller's identity, as an authorization layer established it; empty for anonymous callers. */
export interface AuthInfo {
  /** The token's subject (`sub`), when a user or service is authenticated. */
  readonly subject?: string;
  /** The OAuth client the token was issued to. */
  readonly clientId?: string;
  readonly scopes: readonly string[];
  /** When the credentials expire, in seconds since the epoch (the token's `exp`). */
  readonly expiresAt?: number;
  /** Every verified claim of the token. */
  readonly claims: Readonly<Record<string, unknown>>;
}

export const ANONYMOUS: AuthInfo = Object.freeze({ scopes: Object.freeze([]), claims: Object.freeze({}) });

/**
 * One string per caller, for binding what a caller owns (2025-era sessions, MRTR `requestState`, tasks) to them:
 * the subject qualified by its issuer, else the client id, else '' for anonymous callers. The prefixes keep a
 * subject from ever equalling another caller's client id.
 */
export function principalKey(auth: AuthInfo): string {
  if (auth.subject !== undefined) {
    const issuer = auth.claims.iss;
    return typeof issuer === 'string' ? `sub:${issuer}#${auth.subject}` : `sub:${auth.subject}`;
  }
  return auth.clientId === undefined ? '' : `client:${auth.clientId}`;
}
