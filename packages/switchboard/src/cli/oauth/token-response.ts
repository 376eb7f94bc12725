import type * as oauth from 'oauth4webapi';
import type { CachedTokens } from './token-cache.js';

/** A token endpoint response as the cache keeps it; a refresh that rotates no refresh token keeps the old one. */
export function cachedTokens(response: oauth.TokenEndpointResponse, previous?: CachedTokens): CachedTokens {
  const refresh = response.refresh_token ?? previous?.refresh_token;
  const scope = response.scope ?? previous?.scope;
  return {
    access_token: response.access_token,
    token_type: response.token_type,
    ...(refresh !== undefined ? { refresh_token: refresh } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(response.expires_in !== undefined ? { expires_at: Date.now() + response.expires_in * 1000 } : {}),
  };
}

/** Seconds before the stated expiry at which a token counts as expired, for clock skew and the request's flight. */
const EXPIRY_MARGIN_MS = 30_000;

/** Whether the access token has expired (or is about to), by the lifetime the token endpoint stated. */
export function isExpired(tokens: CachedTokens, now = Date.now()): boolean {
  return tokens.expires_at !== undefined && tokens.expires_at - EXPIRY_MARGIN_MS <= now;
}
