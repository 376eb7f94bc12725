import type { AuthInfo } from '../../protocol/auth.js';
import { authInfoFromClaims } from '../claims.js';
import { AS_REQUEST_TIMEOUT_MS } from '../issuer-metadata.js';
import type { AuthOptions } from '../resource-server.js';
import { checkSecureUrl } from '../resource-url.js';
import type { TokenVerifier } from '../verifier.js';
import { AuthUnavailableError, InvalidTokenError } from '../verifier.js';
import type { PresetOptions } from './identity-provider.js';

export const GOOGLE_ISSUER = 'https://accounts.google.com';
const GOOGLE_TOKENINFO = 'https://oauth2.googleapis.com/tokeninfo';

export interface GoogleOptions extends PresetOptions {
  /** The OAuth client id(s) the tokens must be issued to: Google names no other audience. */
  clientId: string | readonly string[];
  /** Google's token information endpoint (default `https://oauth2.googleapis.com/tokeninfo`). */
  tokeninfoUrl?: string;
  /** How long an answer is reused, in ms (default 60 s, never past the token's expiry). */
  cacheMs?: number;
}

/**
 * Google. Its access tokens are opaque and meant for Google's APIs: they are checked with Google's tokeninfo
 * endpoint, and their audience is the OAuth client id (Google has no RFC 8707 resource indicators). Google offers no
 * client registration for MCP clients (neither DCR nor Client ID Metadata Documents), so most deployments front it
 * with the built-in authorization server's proxy mode; this preset serves clients that use your own client id.
 */
export function google(options: GoogleOptions): AuthOptions {
  const { clientId, tokeninfoUrl, cacheMs, ...rest } = options;
  return {
    ...rest,
    authorizationServers: [GOOGLE_ISSUER],
    verifier: tokeninfoVerifier(typeof clientId === 'string' ? [clientId] : clientId, tokeninfoUrl, cacheMs),
  };
}

function tokeninfoVerifier(clientIds: readonly string[], url = GOOGLE_TOKENINFO, cacheMs = 60_000): TokenVerifier {
  const endpoint = checkSecureUrl(url, 'tokeninfoUrl');
  return {
    maxCacheMs: cacheMs,
    async verify(token: string): Promise<AuthInfo> {
      let response: Response;
      try {
        // The token goes in the form body, never in a URL where logs would keep it.
        response = await fetch(endpoint, {
          method: 'POST',
          body: new URLSearchParams({ access_token: token }),
          signal: AbortSignal.timeout(AS_REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw new AuthUnavailableError(`Google tokeninfo unreachable: ${(error as Error).message}`, { cause: error });
      }
      if (response.status === 400) throw new InvalidTokenError('Google does not know this token (expired or revoked)');
      if (!response.ok) throw new AuthUnavailableError(`Google tokeninfo answered HTTP ${response.status}`);
      const info = (await response.json()) as Record<string, unknown>;
      // tokeninfo writes numbers as strings.
      const exp = Number(info.exp);
      if (!Number.isFinite(exp) || exp * 1000 <= Date.now()) throw new InvalidTokenError('the token has expired');
      if (!clientIds.includes(String(info.aud)) && !clientIds.includes(String(info.azp))) {
        throw new InvalidTokenError('the token was not issued to this server’s client (aud)');
      }
      return authInfoFromClaims({ ...info, iss: GOOGLE_ISSUER, exp, client_id: info.azp ?? info.aud });
    },
  };
}
