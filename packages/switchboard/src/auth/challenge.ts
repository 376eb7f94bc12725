/**
 * `WWW-Authenticate: Bearer …` challenges (RFC 6750 §3). Every parameter is a quoted string; `scope` is one
 * space-delimited list, so a client learns every scope an operation needs from one challenge.
 */

/** The RFC 6750 §3.1 error codes a resource server answers with. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export interface BearerChallengeParams {
  /** RFC 9728 §5.1: where the Protected Resource Metadata lives; lets a client discover the authorization server. */
  resourceMetadata?: string;
  /** Scopes the request needs; omitted when empty. */
  scope?: readonly string[];
  /** Omitted when the request carried no credentials at all (RFC 6750 §3.1). */
  error?: BearerError;
  /** A short English explanation for the developer, never for the end user. */
  errorDescription?: string;
}

/**
 * Builds the value of a `WWW-Authenticate` header for the Bearer scheme.
 * RFC 6750 §3: `scope`, `error` and `error_description` use a limited character set; anything outside it (quotes,
 * backslashes, control characters) is dropped from descriptions rather than escaped, since some clients do not
 * unescape quoted-pairs.
 */
export function bearerChallenge(params: BearerChallengeParams): string {
  const parts: string[] = [];
  if (params.error !== undefined) parts.push(`error="${params.error}"`);
  if (params.scope !== undefined && params.scope.length > 0) parts.push(`scope="${params.scope.join(' ')}"`);
  if (params.resourceMetadata !== undefined) parts.push(`resource_metadata="${quotable(params.resourceMetadata)}"`);
  if (params.errorDescription !== undefined)
    parts.push(`error_description="${quotable(params.errorDescription).replace(/[\\"]/g, '')}"`);
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`;
}

/** Printable ASCII only: RFC 6750 §3 restricts these values to %x20-21 / %x23-5B / %x5D-7E. */
function quotable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '');
}
