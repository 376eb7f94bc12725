import type { Claims } from '../claims.js';
import type { AuthOptions } from '../resource-server.js';
import { InvalidTokenError } from '../verifier.js';
import type { PresetOptions } from './identity-provider.js';
import { baseUrl, firstString, identityProvider } from './identity-provider.js';

export interface KeycloakOptions extends PresetOptions {
  /** Where Keycloak is served, e.g. `https://sso.acme.com` (add `/auth` for Keycloak before 17). */
  url: string;
  realm: string;
  /** The audience an Audience mapper adds to tokens (default: this server's URL). */
  audience?: string | readonly string[];
}

/**
 * Keycloak: issuer `{url}/realms/{realm}`, scopes in `scope`, the client in `azp`. Keycloak marks token kinds in
 * the payload's `typ`; only `Bearer` (an access token) is accepted, never an `ID` or `Refresh` token.
 */
export function keycloak(options: KeycloakOptions): AuthOptions {
  const { url, realm, audience, ...rest } = options;
  return identityProvider(
    {
      issuer: `${baseUrl(url)}/realms/${encodeURIComponent(realm)}`,
      audience,
      clientIdFrom: (claims) => firstString(claims, 'azp', 'client_id'),
      checkClaims: (claims: Claims) => {
        if (claims.typ !== undefined && claims.typ !== 'Bearer') {
          throw new InvalidTokenError(`the token is a Keycloak ${String(claims.typ)} token, not an access token`);
        }
      },
    },
    rest,
  );
}
