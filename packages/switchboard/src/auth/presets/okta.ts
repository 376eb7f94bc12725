import type { Claims } from '../claims.js';
import type { AuthOptions } from '../resource-server.js';
import { parseScopes } from '../scopes.js';
import type { PresetOptions } from './identity-provider.js';
import { baseUrl, firstString, identityProvider } from './identity-provider.js';

export interface OktaOptions extends PresetOptions {
  /** Your Okta domain, e.g. `acme.okta.com`, or a custom domain. */
  domain: string;
  /** The custom authorization server (default `default`); the org authorization server's tokens are not for you. */
  authorizationServerId?: string;
  /** The authorization server's Audience setting (default: this server's URL, which it should be set to). */
  audience?: string | readonly string[];
}

/**
 * Okta, through a custom authorization server: issuer `https://{domain}/oauth2/{id}`, scopes in the `scp` array,
 * the client in `cid`, the user's id in `uid` (and their login in `sub`).
 */
export function okta(options: OktaOptions): AuthOptions {
  const { domain, authorizationServerId = 'default', audience, ...rest } = options;
  return identityProvider(
    {
      issuer: `${baseUrl(domain)}/oauth2/${authorizationServerId}`,
      audience,
      scopesFrom: (claims: Claims) => (claims.scp !== undefined ? parseScopes(claims.scp) : parseScopes(claims.scope)),
      clientIdFrom: (claims) => firstString(claims, 'cid', 'client_id'),
    },
    rest,
  );
}
