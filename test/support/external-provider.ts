import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import Provider from 'oidc-provider';

/** Everything the tokens of this provider can grant. */
export const PROVIDER_SCOPES = 'leads leads:read leads:write mail:send';

export interface ExternalProviderOptions {
  /** Path of the issuer below the origin, e.g. `/realms/test` or `/` (default none: the issuer is the origin). */
  issuerPath?: string;
  /** Extra claims for every access token, as some providers add (`scp`, `permissions`, `cid`). */
  extraClaims?: (scope: string) => Record<string, unknown>;
}

/**
 * A second, separately configured oidc-provider on its own loopback port, playing an external identity provider:
 * discovery, JWKS (ES256), client credentials with RFC 8707 resource indicators, introspection and revocation
 * over real HTTP. A resource whose URL contains `/opaque` gets opaque tokens, any other a JWT (`at+jwt`).
 */
export interface ExternalProvider {
  readonly issuer: string;
  /** The client an MCP client would be (client credentials). */
  readonly client: { id: string; secret: string };
  /** The client the resource server introspects as. */
  readonly resourceServer: { id: string; secret: string };
  token(resource: string, scope?: string): Promise<string>;
  revoke(token: string): Promise<void>;
  close(): Promise<void>;
}

export async function startExternalProvider(options: ExternalProviderOptions = {}): Promise<ExternalProvider> {
  const path = options.issuerPath ?? '';
  let provider: Provider | undefined;
  const http = createServer((req, res) => {
    if (provider === undefined) return void res.writeHead(503).end();
    // oidc-provider routes below its mount path; the issuer's path is that mount path.
    const mount = path.replace(/\/$/, '');
    if (mount !== '' && req.url?.startsWith(mount)) req.url = req.url.slice(mount.length) || '/';
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}${path}`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const client = { id: 'mcp-client', secret: 'mcp-client-secret-mcp-client-secret' };
  const resourceServer = { id: 'mcp-resource-server', secret: 'resource-server-secret-resource-server' };
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        id_token_signed_response_alg: 'ES256',
        scope: PROVIDER_SCOPES,
      },
      {
        client_id: resourceServer.id,
        client_secret: resourceServer.secret,
        grant_types: [],
        redirect_uris: [],
        response_types: [],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    ttl: { ClientCredentials: 300 },
    scopes: ['openid', ...PROVIDER_SCOPES.split(' ')],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'external-1', alg: 'ES256', use: 'sig' }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as never,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: PROVIDER_SCOPES,
          audience: resource,
          accessTokenTTL: 300,
          accessTokenFormat: resource.includes('/opaque') ? 'opaque' : 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => options.extraClaims?.(String((token as { scope?: string }).scope ?? '')),
  });
  provider.on('server_error', (_ctx, error) => console.error('external provider error', error));
  const as = await oauth.processDiscoveryResponse(
    new URL(issuer),
    await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }),
  );
  const insecure = { [oauth.allowInsecureRequests]: true };
  return {
    issuer,
    client,
    resourceServer,
    async token(resource, scope = 'leads:read') {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: client.id },
        oauth.ClientSecretBasic(client.secret),
        { scope, resource },
        insecure,
      );
      return (await oauth.processClientCredentialsResponse(as, { client_id: client.id }, response)).access_token;
    },
    async revoke(token) {
      const response = await oauth.revocationRequest(
        as,
        { client_id: client.id },
        oauth.ClientSecretBasic(client.secret),
        token,
        insecure,
      );
      await oauth.processRevocationResponse(response);
    },
    close: () => {
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
