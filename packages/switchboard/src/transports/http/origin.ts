/** Where browsers and DNS-rebinding pages may reach the endpoint from. */
export interface OriginPolicy {
  /** Exact origins allowed besides loopback ones, e.g. `https://app.example.com`; `'*'` allows any. */
  allowedOrigins?: readonly string[] | '*';
  /** Host header values allowed besides loopback names (with or without port); `'*'` allows any. */
  allowedHosts?: readonly string[] | '*';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/**
 * RFC 9110 §7.2 `Host = uri-host [ ":" port ]`, read strictly: an IP literal in brackets or a name of letters,
 * digits, `.`, `-`, `_`, `~`, then an optional numeric port. Userinfo (`127.0.0.1:80@evil`) or a name after the
 * colon (`localhost:evil`) does not parse, so it cannot pass for a loopback name.
 */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._~-]+)(?::\d{1,5})?$/;

/** The host name of a Host header, lower-cased; undefined when the header is not `host[:port]`. */
function hostname(hostHeader: string): string | undefined {
  return HOST_HEADER.exec(hostHeader.toLowerCase())?.[1];
}

/**
 * Checks Host and Origin against the policy (2025-11-25 and 2026-07-28 transports: servers MUST validate
 * Origin and answer 403 when it is present and invalid). Returns the reason for refusal, or undefined.
 */
export function checkOrigin(
  policy: OriginPolicy,
  host: string | undefined,
  origin: string | undefined,
): string | undefined {
  if (policy.allowedHosts !== '*') {
    if (host === undefined) return 'the Host header is missing';
    const name = hostname(host);
    if (name === undefined) return `Host "${host}" is not a valid host[:port]`;
    if (!LOOPBACK_HOSTS.has(name) && !policy.allowedHosts?.some((h) => h === host || h === name)) {
      return `Host "${host}" is not allowed (configure allowedHosts to serve other names)`;
    }
  }
  if (origin === undefined || policy.allowedOrigins === '*') return undefined;
  if (policy.allowedOrigins?.includes(origin)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `Origin "${origin}" is not a valid origin`;
  }
  if (LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return `Origin "${origin}" is not allowed (configure allowedOrigins)`;
}
