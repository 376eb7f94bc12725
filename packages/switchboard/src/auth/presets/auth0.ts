import type { AuthOptions } from '../resource-server.js';
import type { PresetOptions } from './identity-provider.js';
import { baseUrl, firstString, identityProvider, scopesAndList } from './identity-provider.js';

export interface Auth0Options extends PresetOptions {
  /** Your tenant's domain, e.g. `acme.us.auth0.com`, or a custom domain. */
  domain: string;
  /**
   * The API identifier tokens are issued for (Auth0's `audience` parameter; default: this server's URL, which is
   * what the API identifier should be, so that MCP clients' RFC 8707 `resource` maps to it).
   */
  audience?: string | readonly string[];
}

/**
 * Auth0. Its issuer ends with a slash (`https://acme.us.auth0.com/`); access tokens name the API identifier in
 * `aud`, the client in `azp`, and with RBAC the granted permissions in `permissions` beside `scope`.
 */
export function auth0(options: Auth0Options): AuthOptions {
  const { domain, audience, ...rest } = options;
  return identityProvider(
    {
      issuer: `${baseUrl(domain)}/`,
      audience,
      scopesFrom: scopesAndList('permissions'),
      clientIdFrom: (claims) => firstString(claims, 'azp', 'client_id'),
    },
    rest,
  );
}
