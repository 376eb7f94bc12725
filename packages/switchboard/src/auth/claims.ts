import type { AuthInfo } from '../protocol/auth.js';
import { parseScopes } from './scopes.js';

/** Verified token claims, as a JWT payload or an introspection response carries them. */
export type Claims = Readonly<Record<string, unknown>>;

/** How an issuer names what a token grants and to whom; presets set these for their provider. */
export interface ClaimMapping {
  /** The scopes a token grants (default: `scope`, else `scp`). */
  scopesFrom?: (claims: Claims) => readonly string[];
  /** The OAuth client the token was issued to (default: `client_id`, else `azp`). */
  clientIdFrom?: (claims: Claims) => string | undefined;
}

/** RFC 9068 §2.2.3 names the claim `scope`; Okta and Entra ID issue `scp`. */
export function defaultScopes(claims: Claims): string[] {
  return claims.scope !== undefined ? parseScopes(claims.scope) : parseScopes(claims.scp);
}

/** RFC 9068 §2.2 `client_id`; OpenID Connect's `azp` where an issuer uses that instead. */
export function defaultClientId(claims: Claims): string | undefined {
  const id = claims.client_id ?? claims.azp;
  return typeof id === 'string' ? id : undefined;
}

/** The caller's identity from verified claims. */
export function authInfoFromClaims(claims: Claims, mapping: ClaimMapping = {}): AuthInfo {
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  const clientId = (mapping.clientIdFrom ?? defaultClientId)(claims);
  const expiresAt = typeof claims.exp === 'number' ? claims.exp : undefined;
  const auth: { -readonly [K in keyof AuthInfo]: AuthInfo[K] } = {
    scopes: Object.freeze([...(mapping.scopesFrom ?? defaultScopes)(claims)]),
    claims: Object.freeze({ ...claims }),
  };
  if (subject !== undefined) auth.subject = subject;
  if (clientId !== undefined) auth.clientId = clientId;
  if (expiresAt !== undefined) auth.expiresAt = expiresAt;
  return Object.freeze(auth);
}

/** The audiences a token names: `aud` as a string or an array (RFC 7519 §4.1.3). */
export function audiencesOf(claims: Claims): string[] {
  if (typeof claims.aud === 'string') return [claims.aud];
  if (Array.isArray(claims.aud)) return claims.aud.filter((aud): aud is string => typeof aud === 'string');
  return [];
}
