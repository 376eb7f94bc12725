import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import type { AuthInfo } from 'switchboard-mcp';
import type { TokenVerifier } from 'switchboard-mcp/auth';
import { builtInAuthServer } from 'switchboard-mcp/auth';
import type { AuthorizationServer, AuthorizationServerOptions } from 'switchboard-mcp/auth/server';
import { addUser, createAuthorizationServer } from 'switchboard-mcp/auth/server';
import type { Database } from 'switchboard-mcp/sql';
import { FormBrowser } from './form-browser.js';

export const PASSWORD = 'correct horse battery';

/** A free loopback port, for a listener that must be told its port before it starts (an issuer names its port). */
export async function freePort(): Promise<number> {
  const { server } = await listen();
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A node:http server on an ephemeral loopback port, not answering yet: its URL is the issuer. */
export async function listen(): Promise<{ server: Server; origin: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export interface Harness {
  as: AuthorizationServer;
  issuer: string;
  resource: string;
  server: Server;
  metadata: oauth.AuthorizationServer;
  close(): Promise<void>;
}

/** The built-in AS on its own loopback port, with one resource (`{issuer}/mcp`) and the user `alice`. */
export async function startAuthServer(
  db: Database,
  options: Partial<AuthorizationServerOptions> = {},
  listener?: { server: Server; origin: string },
): Promise<Harness> {
  const { server, origin } = listener ?? (await listen());
  const resource = `${origin}/mcp`;
  const as = await createAuthorizationServer({
    issuer: origin,
    resources: [
      { uri: resource, scopes: ['leads:read', 'leads:write'], scopeDescriptions: { 'leads:read': 'Read your leads' } },
    ],
    database: db,
    firstRun: false,
    ...options,
  });
  server.on('request', (req, res) => void as.handler(req, res));
  await addUser(db, { username: 'alice', password: PASSWORD }, { replace: true });
  const metadata = await discover(as.issuer, origin);
  return {
    as,
    issuer: as.issuer,
    resource: options.resources?.[0]?.uri ?? resource,
    server,
    metadata,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await as.close();
    },
  };
}

/**
 * RFC 8414 discovery with oauth4webapi (which checks that `issuer` matches exactly); `at` is where the server
 * listens when that differs from the issuer (an https issuer behind a TLS-terminating proxy).
 */
export async function discover(issuer: string, at = issuer): Promise<oauth.AuthorizationServer> {
  const url = new URL(at);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true });
  return oauth.processDiscoveryResponse(new URL(issuer), response);
}

/** A public client registered through DCR (RFC 7591). */
export async function registerClient(
  h: Harness,
  metadata: Record<string, unknown> = {},
): Promise<oauth.Client & { redirect_uris: string[] }> {
  const response = await oauth.dynamicClientRegistrationRequest(
    h.metadata,
    {
      client_name: 'Test Client',
      redirect_uris: ['http://localhost:9/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    },
    { [oauth.allowInsecureRequests]: true },
  );
  return (await oauth.processDynamicClientRegistrationResponse(response)) as never;
}

export interface AuthorizeOptions {
  client: oauth.Client & { redirect_uris: string[] };
  redirectUri?: string;
  scope?: string;
  resource?: string;
  browser?: FormBrowser;
  /** Extra/overriding authorization request parameters (`null` removes one). */
  params?: Record<string, string | null>;
  consent?: 'allow' | 'deny';
}

/** Builds an authorization request with PKCE S256 and a state. */
export async function authorizationUrl(h: Harness, o: AuthorizeOptions) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(h.metadata.authorization_endpoint!);
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: o.client.client_id,
    redirect_uri: o.redirectUri ?? o.client.redirect_uris[0]!,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    scope: o.scope ?? 'leads:read',
    resource: o.resource ?? h.resource,
    ...o.params,
  };
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return { url: url.href, verifier, state, redirectUri: params.redirect_uri! };
}

/** Walks sign-in and consent in the form browser; returns where the AS finally sent the browser. */
export async function authorize(h: Harness, o: AuthorizeOptions) {
  const browser = o.browser ?? new FormBrowser();
  const request = await authorizationUrl(h, o);
  let at = await browser.visit(request.url);
  if (at.startsWith(h.issuer) && browser.forms().some((f) => f.action.endsWith('/login'))) {
    at = await browser.submit('/login', { username: 'alice', password: PASSWORD });
  }
  if (at.startsWith(h.issuer) && browser.forms().some((f) => f.action.endsWith('/consent'))) {
    at = await browser.submit('/consent', { decision: o.consent ?? 'allow' });
  }
  return { ...request, browser, callback: new URL(at) };
}

/** Exchanges a code at the token endpoint with oauth4webapi. */
export async function redeem(
  h: Harness,
  client: oauth.Client,
  callback: URL,
  state: string,
  redirectUri: string,
  verifier: string,
  resource = h.resource,
) {
  const params = oauth.validateAuthResponse(h.metadata, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    h.metadata,
    client,
    oauth.None(),
    params,
    redirectUri,
    verifier,
    { additionalParameters: { resource }, [oauth.allowInsecureRequests]: true },
  );
  return oauth.processAuthorizationCodeResponse(h.metadata, client, response);
}

/** A raw form POST to the token endpoint (for requests oauth4webapi would refuse to send). */
export async function tokenRequest(h: Harness, body: Record<string, string>) {
  const response = await fetch(h.metadata.token_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Verifies an access token as a resource server protected by this AS does: signature, issuer, audience, and
 * whether its grant was revoked since.
 */
export function verifyAtResourceServer(h: Harness, token: string): Promise<AuthInfo> {
  const { verifier } = builtInAuthServer(h.as);
  return (verifier as TokenVerifier).verify(token, { resource: h.resource });
}
