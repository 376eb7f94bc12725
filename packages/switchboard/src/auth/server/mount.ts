import type { IncomingMessage, ServerResponse } from 'node:http';

/** The URL layout of an authorization server under its issuer. */
export interface Layout {
  /** The issuer's path (`''` for an origin issuer, `/tenant` for `https://auth.example.com/tenant`). */
  readonly mount: string;
  /** The provider's own routes, below the mount: `/oauth/...`. */
  readonly routePrefix: string;
  /** Interaction pages, below the mount. */
  readonly interactionPrefix: string;
  /** Upstream provider callback (proxy mode), below the mount. */
  readonly upstreamCallback: string;
}

/** Builds the layout for an issuer URL. */
export function layoutFor(issuer: URL): Layout {
  const mount = issuer.pathname.replace(/\/$/, '');
  return {
    mount,
    routePrefix: '/oauth',
    interactionPrefix: '/oauth/interaction',
    upstreamCallback: '/oauth/upstream/callback',
  };
}

/**
 * Where a request goes: the path inside the provider (the well-known documents, RFC 8414 §3.1 with the issuer's
 * path inserted after `/.well-known/...`, and OpenID Connect Discovery's appended form), or undefined when the
 * request is not the authorization server's.
 */
export function innerPath(layout: Layout, pathname: string): string | undefined {
  const { mount } = layout;
  for (const document of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    if (pathname === `${document}${mount}` || pathname === `${mount}${document}`) return document;
  }
  if (!pathname.startsWith(`${mount}${layout.routePrefix}/`)) return undefined;
  return pathname.slice(mount.length);
}

/** The path prefixes and exact paths an authorization server answers, for mounting beside an MCP endpoint. */
export function ownedPaths(layout: Layout): string[] {
  const { mount } = layout;
  return [
    `/.well-known/oauth-authorization-server${mount}`,
    `${mount}/.well-known/openid-configuration`,
    ...(mount === '' ? [] : [`/.well-known/openid-configuration${mount}`]),
    `${mount}${layout.routePrefix}/`,
  ];
}

/**
 * Points a request at the provider: the path without the mount (kept in `originalUrl`, from which oidc-provider
 * derives its mount), and the forwarded host and scheme of the issuer, so every URL the provider writes (metadata,
 * redirects, cookies' `Secure`) comes from the configured issuer, never from a Host header a client sent.
 */
export function rewriteForProvider(
  req: IncomingMessage & { originalUrl?: string },
  issuer: URL,
  inner: string,
  trustForwardedFor: boolean,
): void {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  req.originalUrl = url;
  req.url = inner + (query === -1 ? '' : url.slice(query));
  req.headers['x-forwarded-host'] = issuer.host;
  req.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
  if (!trustForwardedFor) delete req.headers['x-forwarded-for'];
}

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? String(req.headers['x-forwarded-for'] ?? '')
        .split(',')[0]
        ?.trim()
    : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/** A small JSON answer in the OAuth error shape (RFC 6749 §5.2). */
export function sendOAuthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify({ error, error_description: description }));
}
