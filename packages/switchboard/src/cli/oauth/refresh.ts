import * as oauth from 'oauth4webapi';
import { describe } from './discovery.js';
import { OAuthClientError } from './errors.js';
import { serverOptions } from './http-options.js';
import { clientAuthentication } from './registration.js';
import type { CachedLogin, TokenCache } from './token-cache.js';
import { cachedTokens } from './token-response.js';

/**
 * Trades the cached refresh token for new tokens (with the same RFC 8707 `resource`) and saves them. Returns
 * undefined when there is no refresh token or the server no longer honours it (`invalid_grant`: revoked, expired,
 * the grant withdrawn), after forgetting the dead tokens; a sign-in is then the only way on.
 */
export async function refresh(login: CachedLogin, cache: TokenCache): Promise<CachedLogin | undefined> {
  const refreshToken = login.tokens.refresh_token;
  if (refreshToken === undefined) return undefined;
  const as = login.authorizationServer;
  const client = { client_id: login.client.client_id };
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(as, client, clientAuthentication(login.client), refreshToken, {
      additionalParameters: { resource: login.resource },
      ...serverOptions(as),
    });
  } catch (error) {
    throw new OAuthClientError(`cannot reach the token endpoint ${as.token_endpoint}: ${describe(error)}`, {
      cause: error,
    });
  }
  try {
    const tokens = cachedTokens(await oauth.processRefreshTokenResponse(as, client, response), login.tokens);
    const renewed = { ...login, tokens };
    cache.set(renewed);
    return renewed;
  } catch (error) {
    if (
      error instanceof oauth.ResponseBodyError &&
      (error.error === 'invalid_grant' || error.error === 'invalid_client')
    ) {
      cache.set({ ...login, tokens: { ...login.tokens, refresh_token: undefined, expires_at: 0 } });
      return undefined;
    }
    throw new OAuthClientError(`the token endpoint ${as.token_endpoint} refused to refresh: ${describe(error)}`, {
      cause: error,
    });
  }
}
