import type { Claims } from '../claims.js';
import type { AuthOptions } from '../resource-server.js';
import { parseScopes } from '../scopes.js';
import type { PresetOptions } from './identity-provider.js';
import { baseUrl, firstString, identityProvider } from './identity-provider.js';

export interface EntraOptions extends PresetOptions {
  /** The Directory (tenant) ID, a GUID: the issuer names the tenant by its id, never by a domain. */
  tenantId: string;
  /** The Application (client) ID of the app registration that exposes this server's API. */
  clientId: string;
  /** Its Application ID URI (default `api://{clientId}`): clients request scopes as `{appIdUri}/{scope}`. */
  appIdUri?: string;
  /** The cloud's login host (default `login.microsoftonline.com`; e.g. `login.microsoftonline.us`). */
  authority?: string;
}

/**
 * Microsoft Entra ID, v2.0 access tokens (set `requestedAccessTokenVersion: 2` in the API's manifest): issuer
 * `https://login.microsoftonline.com/{tenant}/v2.0`, `aud` the client id (or the Application ID URI), delegated
 * scopes in `scp` as short names (`leads.read`) and application roles in `roles`, the client in `azp`. Declare
 * tools with the short names; challenges and metadata advertise them as `{appIdUri}/leads.read`, which is what
 * clients must request.
 */
export function entra(options: EntraOptions): AuthOptions {
  const { tenantId, clientId, appIdUri = `api://${clientId}`, authority, ...rest } = options;
  return identityProvider(
    {
      issuer: `${baseUrl(authority ?? 'login.microsoftonline.com')}/${tenantId}/v2.0`,
      audience: [clientId, appIdUri],
      scopesFrom: (claims: Claims) => [...parseScopes(claims.scp), ...parseScopes(claims.roles)],
      clientIdFrom: (claims) => firstString(claims, 'azp', 'appid'),
      advertiseScope: (scope) => (scope.includes('://') ? scope : `${appIdUri}/${scope}`),
    },
    rest,
  );
}
