import type { AuthRequest } from '../transports/http/authenticate.js';

/** A Host or X-Forwarded-Host value: host[:port], nothing that could carry a path or credentials. */
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** The path of a request URL, without its query. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The scheme and host (`http://host[:port]`, not yet normalized) a client used to reach this server, from `Host`,
 * or with `trustProxy` from `X-Forwarded-Proto` and `X-Forwarded-Host` as the nearest proxy set them. Undefined
 * when the Host is unusable. Without a proxy in front, node:http serves plain http.
 */
export function requestOrigin(request: AuthRequest, trustProxy: boolean): string | undefined {
  let proto = 'http';
  let host = request.header('host');
  if (trustProxy) {
    const forwardedProto = firstValue(request.header('x-forwarded-proto'))?.toLowerCase();
    if (forwardedProto === 'http' || forwardedProto === 'https') proto = forwardedProto;
    const forwardedHost = firstValue(request.header('x-forwarded-host'));
    if (forwardedHost !== undefined && HOST.test(forwardedHost)) host = forwardedHost;
  }
  if (host === undefined || !HOST.test(host)) return undefined;
  return `${proto}://${host}`;
}

/** The first of a comma-separated header's values: what the proxy nearest the client wrote. */
function firstValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = value.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}
