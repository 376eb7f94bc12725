/** What the request carried by way of a bearer token. */
export type BearerCredentials =
  | { readonly kind: 'token'; readonly token: string }
  /** No credentials, or only ones of another scheme (Basic, DPoP): RFC 6750 §3.1 answers without an error code. */
  | { readonly kind: 'none' }
  /** Credentials sent in a way that is refused; `reason` says which. */
  | { readonly kind: 'refused'; readonly reason: string };

/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads the bearer token from the `Authorization` header.
 * 2026-07-28 basic/authorization §Token Requirements: the client MUST use the Authorization header, and access
 * tokens MUST NOT be included in the URI query string, so a request with an `access_token` query parameter is
 * refused even if it also has a header (RFC 6750 §2: no more than one method per request).
 */
export function readBearerToken(authorization: string | undefined, url: string): BearerCredentials {
  if (hasQueryToken(url)) {
    return { kind: 'refused', reason: 'access tokens must be sent in the Authorization header, not the query string' };
  }
  if (authorization === undefined) return { kind: 'none' };
  const value = authorization.trim();
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  // RFC 7235 §2.1: the scheme is case-insensitive.
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'none' };
  // Repeated Authorization headers arrive joined with ', ' and are refused below: no b64token contains a comma.
  const token = space === -1 ? '' : value.slice(space + 1).trim();
  if (token === '') return { kind: 'refused', reason: 'the Bearer credentials are empty' };
  if (!B64TOKEN.test(token)) return { kind: 'refused', reason: 'the Bearer credentials are not a single token' };
  return { kind: 'token', token };
}

function hasQueryToken(url: string): boolean {
  const query = url.indexOf('?');
  if (query === -1) return false;
  return new URLSearchParams(url.slice(query + 1)).has('access_token');
}
