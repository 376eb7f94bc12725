/** The parameters of a `WWW-Authenticate: Bearer …` challenge a client acts on. */
export interface BearerChallenge {
  /** RFC 9728 §5.1: where the Protected Resource Metadata lives. */
  resourceMetadata?: string;
  /** RFC 6750 §3: the scopes the request needs, space-delimited on the wire. */
  scope?: string[];
  /** RFC 6750 §3.1: `invalid_token`, `insufficient_scope`, … */
  error?: string;
  errorDescription?: string;
}

/** `name=value` or `name="quoted \" value"`, as RFC 9110 §11.2 writes auth-params. */
const AUTH_PARAM = /([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]+))/y;

/**
 * Reads the Bearer challenge out of a `WWW-Authenticate` header value, which may carry several challenges
 * (`Basic realm="x", Bearer scope="a"`). Undefined when there is no Bearer challenge.
 */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (header === null || header === undefined) return undefined;
  const start = /(?:^|,)\s*Bearer(?:\s+|$)/i.exec(header);
  if (start === null) return undefined;
  const params = new Map<string, string>();
  AUTH_PARAM.lastIndex = start.index + start[0].length;
  for (;;) {
    const at = AUTH_PARAM.lastIndex;
    const match = AUTH_PARAM.exec(header);
    if (match === null) break;
    const [, name = '', quoted, token] = match;
    params.set(name.toLowerCase(), quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (token ?? ''));
    // Parameters are separated by commas; a name without `=` after a comma starts the next challenge.
    const separator = /\s*,\s*/y;
    separator.lastIndex = AUTH_PARAM.lastIndex;
    if (separator.exec(header) === null || at === AUTH_PARAM.lastIndex) break;
    AUTH_PARAM.lastIndex = separator.lastIndex;
  }
  const scope = params.get('scope')?.split(' ').filter(Boolean);
  return {
    ...(params.has('resource_metadata') ? { resourceMetadata: params.get('resource_metadata') } : {}),
    ...(scope !== undefined && scope.length > 0 ? { scope } : {}),
    ...(params.has('error') ? { error: params.get('error') } : {}),
    ...(params.has('error_description') ? { errorDescription: params.get('error_description') } : {}),
  };
}
