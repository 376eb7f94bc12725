import type { ClaimMapping, Claims } from '../claims.js';
import { defaultScopes } from '../claims.js';
import { jwtVerifier } from '../jwt-verifier.js';
import type { AuthOptions } from '../resource-server.js';
import { parseScopes } from '../scopes.js';

/** What every preset takes besides its provider's own settings: the rest of the `auth` option. */
export type PresetOptions = Omit<AuthOptions, 'authorizationServers' | 'verifier'>;

/** How one identity provider issues JWT access tokens; each preset is one of these. */
export interface ProviderProfile extends ClaimMapping {
  /** The issuer, exactly as the provider writes it in `iss` and its discovery document. */
  issuer: string;
  /** The audiences its tokens carry for this server (default: this server's canonical URI). */
  audience?: string | readonly string[];
  /** Whether its access tokens carry `typ: at+jwt` (default false: most providers' formats do not). */
  setsAccessTokenType?: boolean;
  checkClaims?: (claims: Claims) => void;
  advertiseScope?: (scope: string) => string;
}

/**
 * The shared machinery of the presets: the issuer's keys found through its discovery document (RFC 8414, else
 * OpenID Connect Discovery, issuer matched exactly), its JWTs verified with its audience and claim conventions.
 */
export function identityProvider(profile: ProviderProfile, options: PresetOptions = {}): AuthOptions {
  return {
    advertiseScope: profile.advertiseScope,
    ...options,
    authorizationServers: [profile.issuer],
    verifier: jwtVerifier({
      issuer: profile.issuer,
      audience: profile.audience,
      requireAccessTokenType: profile.setsAccessTokenType === true,
      scopesFrom: profile.scopesFrom,
      clientIdFrom: profile.clientIdFrom,
      checkClaims: profile.checkClaims,
    }),
  };
}

/** `https://` plus a bare domain; a full URL (with its scheme) is kept, without a trailing slash. */
export function baseUrl(domainOrUrl: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(domainOrUrl) ? domainOrUrl : `https://${domainOrUrl}`;
  return url.replace(/\/+$/, '');
}

/** The first string among the named claims. */
export function firstString(claims: Claims, ...names: string[]): string | undefined {
  for (const name of names) if (typeof claims[name] === 'string') return claims[name];
  return undefined;
}

/** RFC 9068 scopes plus an array claim some providers use for API permissions (Auth0, WorkOS: `permissions`). */
export function scopesAndList(list: string): (claims: Claims) => string[] {
  return (claims) => [...new Set([...defaultScopes(claims), ...parseScopes(claims[list])])];
}
