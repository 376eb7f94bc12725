import { challengeOf } from './discovery.js';
import { OAuthClientError } from './errors.js';
import type { LoginOptions } from './login.js';
import { login } from './login.js';
import { refresh } from './refresh.js';
import type { CachedLogin } from './token-cache.js';
import { TokenCache } from './token-cache.js';
import { isExpired } from './token-response.js';

/** The shape of `fetch` this module takes and returns. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link authorizedFetch}: a sign-in's options, and whether one may happen at all. */
export interface AuthorizedFetchOptions extends LoginOptions {
  /**
   * Sign the user in (browser) when the server asks for a token and none can be refreshed (default true). With
   * false, such a request fails with an `OAuthClientError` that says to run `switchboard login <url>`.
   */
  interactive?: boolean;
  /** The fetch that sends the requests (default the global one). */
  fetch?: FetchLike;
}

/**
 * A `fetch` for one protected MCP server: it adds the cached bearer token to requests for the server's origin,
 * refreshes the token when it has expired or the server answers 401, signs the user in when nothing else works
 * (and `interactive` allows), and signs in again for more scopes on a 403 `insufficient_scope` (MCP authorization
 * §Scope Challenge Handling). Requests to other origins go out untouched, so the token never leaves its server.
 * Concurrent requests share one refresh or sign-in.
 */
export function authorizedFetch(resourceUrl: string, options: AuthorizedFetchOptions = {}): FetchLike {
  const cache = options.cache ?? new TokenCache();
  const send = options.fetch ?? fetch;
  const origin = new URL(resourceUrl).origin;
  let renewing: Promise<CachedLogin | undefined> | undefined;
  // The login in use, so that a request does not read the cache file: it is read again only once the held token
  // has expired or the server refused it (another CLI may have refreshed or signed in meanwhile).
  let held: CachedLogin | undefined;
  let heldIsCurrent = false;

  /** One refresh or sign-in at a time; callers that arrive meanwhile wait for it. */
  const renew = (work: () => Promise<CachedLogin | undefined>) => {
    renewing ??= work()
      .then((login) => {
        if (login !== undefined) [held, heldIsCurrent] = [login, true];
        return login;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  const signIn = async (challenge: Response, scope?: string[]): Promise<CachedLogin | undefined> => {
    if (options.interactive === false) {
      throw new OAuthClientError(`${resourceUrl} needs you to sign in: run \`switchboard login ${resourceUrl}\``);
    }
    const result = await login(resourceUrl, {
      ...options,
      cache,
      challengeResponse: challenge,
      ...(scope ? { scope } : {}),
    });
    return result.status === 'signed-in' ? result.login : undefined;
  };

  const current = async (): Promise<CachedLogin | undefined> => {
    if (renewing !== undefined) await renewing;
    if (heldIsCurrent && (held === undefined || !isExpired(held.tokens))) return held;
    const cached = cache.get(resourceUrl);
    [held, heldIsCurrent] = [cached, true];
    if (cached === undefined || !isExpired(cached.tokens)) return cached;
    return (await renew(() => refresh(cached, cache))) ?? cache.get(resourceUrl);
  };

  return async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== origin) return send(request);
    const attempt = (token: CachedLogin | undefined) => {
      const headers = new Headers(request.headers);
      if (token !== undefined && !isExpired(token.tokens))
        headers.set('authorization', `Bearer ${token.tokens.access_token}`);
      return send(new Request(request.clone(), { headers }));
    };
    let token = await current();
    let response = await attempt(token);
    if (response.status === 401) {
      heldIsCurrent = false;
      const used = token;
      // A token the server refuses before its stated expiry may have been revoked or rotated: refresh first.
      if (used?.tokens.refresh_token !== undefined) token = await renew(() => refresh(used, cache));
      if (token === undefined || token === used) token = await renew(() => signIn(response));
      if (token === undefined) return response;
      await response.body?.cancel();
      response = await attempt(token);
    } else if (
      response.status === 403 &&
      challengeOf(response)?.error === 'insufficient_scope' &&
      options.interactive !== false
    ) {
      const held = token?.tokens.scope?.split(' ').filter(Boolean) ?? [];
      const needed = challengeOf(response)?.scope ?? [];
      token = await renew(() => signIn(response, [...new Set([...held, ...needed])]));
      if (token === undefined) return response;
      await response.body?.cancel();
      response = await attempt(token);
    }
    return response;
  };
}
