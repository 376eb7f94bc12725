import * as oauth from 'oauth4webapi';
import { describe } from './discovery.js';
import { serverOptions } from './http-options.js';
import { clientAuthentication } from './registration.js';
import type { TokenCache } from './token-cache.js';

/** What `logout` did. `revoked` lists the tokens the server confirmed revoking; `warnings` what it could not. */
export interface LogoutResult {
  found: boolean;
  revoked: ('refresh_token' | 'access_token')[];
  warnings: string[];
}

/**
 * Revokes the server's tokens at the authorization server (RFC 7009) and deletes them from the cache whatever the
 * server answered: a server that cannot be reached must not keep the user signed in on this machine. With a
 * refresh token, that one is revoked (RFC 7009 §2.1: the grant and its access tokens go with it; a JWT access
 * token often cannot be revoked by itself); otherwise the access token.
 */
export async function logout(resource: string, cache: TokenCache): Promise<LogoutResult> {
  const login = cache.get(resource);
  if (login === undefined) return { found: false, revoked: [], warnings: [] };
  const result: LogoutResult = { found: true, revoked: [], warnings: [] };
  const as = login.authorizationServer;
  if (as.revocation_endpoint === undefined) {
    result.warnings.push(`${as.issuer} has no revocation endpoint: the tokens were only deleted here`);
  } else {
    const refreshToken = login.tokens.refresh_token;
    const [kind, token] =
      refreshToken !== undefined
        ? (['refresh_token', refreshToken] as const)
        : (['access_token', login.tokens.access_token] as const);
    try {
      const response = await oauth.revocationRequest(
        as,
        { client_id: login.client.client_id },
        clientAuthentication(login.client),
        token,
        { additionalParameters: { token_type_hint: kind }, ...serverOptions(as) },
      );
      await oauth.processRevocationResponse(response);
      result.revoked.push(kind);
    } catch (error) {
      result.warnings.push(`revoking the ${kind.replace('_', ' ')} failed: ${describe(error)}`);
    }
  }
  cache.delete(resource);
  return result;
}
