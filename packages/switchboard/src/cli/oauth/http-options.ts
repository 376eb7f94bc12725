import * as oauth from 'oauth4webapi';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** Whether `url` is on this machine, where plain `http` is acceptable (OAuth 2.1 §1.5, RFC 8252 §8.3). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}

/**
 * The options oauth4webapi takes for a request to `url`: plain `http` is allowed only for loopback addresses
 * (a server under development); anywhere else oauth4webapi refuses it, as OAuth 2.1 requires TLS.
 */
export function requestOptions(
  url: URL,
  signal?: AbortSignal,
): { [oauth.allowInsecureRequests]?: boolean; signal?: AbortSignal } {
  return {
    ...(url.protocol === 'http:' && isLoopbackUrl(url) ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(signal !== undefined ? { signal } : {}),
  };
}

/** The options for a request to an authorization server's endpoints, judged by its issuer. */
export function serverOptions(as: oauth.AuthorizationServer): { [oauth.allowInsecureRequests]?: boolean } {
  return requestOptions(new URL(as.issuer));
}
