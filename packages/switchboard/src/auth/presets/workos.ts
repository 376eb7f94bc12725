import type { AuthOptions } from '../resource-server.js';
import type { PresetOptions } from './identity-provider.js';
import { baseUrl, firstString, identityProvider, scopesAndList } from './identity-provider.js';

export interface WorkOsOptions extends PresetOptions {
  /** Your AuthKit domain, e.g. `acme-42.authkit.app` or `https://auth.acme.com` (a custom domain). */
  authkitDomain: string;
}

/**
 * WorkOS AuthKit. The issuer is the AuthKit domain; tokens are RS256 JWTs whose `aud` is this server's URL once it
 * is listed as an MCP resource indicator in the dashboard. Scopes come from `scope` and the RBAC `permissions` claim.
 */
export function workos(options: WorkOsOptions): AuthOptions {
  const { authkitDomain, ...rest } = options;
  return identityProvider(
    {
      issuer: baseUrl(authkitDomain),
      scopesFrom: scopesAndList('permissions'),
      clientIdFrom: (claims) => firstString(claims, 'client_id', 'azp'),
    },
    rest,
  );
}
