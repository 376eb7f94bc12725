import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Switchboard } from 'switchboard-mcp';
import type { AuthOptions } from 'switchboard-mcp/auth';
import { auth0, entra, google, keycloak, okta, workos } from 'switchboard-mcp/auth';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExternalProvider, ExternalProviderOptions } from '../support/external-provider.js';
import { startExternalProvider } from '../support/external-provider.js';
import { modernRequest, post } from '../support/http.js';

/**
 * Each identity-provider preset against a separately configured oidc-provider on a local port, laid out like that
 * provider (issuer path, trailing slash, audience, the claims it adds), over real HTTP: discovery, JWKS, the
 * provider's audience convention and claim names. The real providers need the internet, which this machine lacks.
 */
const running: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.close();
});

async function provider(options: ExternalProviderOptions): Promise<ExternalProvider> {
  const started = await startExternalProvider(options);
  running.push(started);
  return started;
}

async function protect(auth: AuthOptions): Promise<HttpServerHandle> {
  const server = new Switchboard({ name: 'preset', version: '1' });
  server.tool('whoami', {}, (_args, ctx) => ({ client: ctx.auth.clientId, scopes: [...ctx.auth.scopes] }));
  const handle = await server.listen({ port: 0, auth });
  running.push(handle);
  return handle;
}

async function whoami(
  url: string,
  token: string,
): Promise<{ status: number; body: unknown; challenge: string | null }> {
  const request = modernRequest(1, 'tools/call', { name: 'whoami', arguments: {} });
  const response = await post(url, request.body, { ...request.headers, authorization: `Bearer ${token}` });
  const reply = (await response.json()) as { result?: { content: { text: string }[] } };
  const text = reply.result?.content[0]?.text;
  return {
    status: response.status,
    body: text === undefined ? reply : JSON.parse(text),
    challenge: response.headers.get('www-authenticate'),
  };
}

const origin = (issuer: string) => new URL(issuer).origin;

describe('identity provider presets', () => {
  it('WorkOS AuthKit: issuer is the AuthKit domain, aud this server, permissions as scopes', async () => {
    const authkit = await provider({ extraClaims: () => ({ permissions: ['leads:write'] }) });
    const handle = await protect(workos({ authkitDomain: authkit.issuer }));
    const answer = await whoami(handle.url, await authkit.token(handle.url, 'leads:read'));
    expect(answer).toMatchObject({
      status: 200,
      body: { client: 'mcp-client', scopes: ['leads:read', 'leads:write'] },
    });
  });

  it('Auth0: issuer with a trailing slash, the API identifier as audience, azp and permissions', async () => {
    const tenant = await provider({
      issuerPath: '/',
      extraClaims: () => ({ azp: 'auth0-app', permissions: ['mail:send'] }),
    });
    expect(tenant.issuer.endsWith('/')).toBe(true);
    const api = 'https://api.acme.example/mcp';
    const handle = await protect(auth0({ domain: origin(tenant.issuer), audience: api }));
    const answer = await whoami(handle.url, await tenant.token(api, 'leads:read'));
    expect(answer).toMatchObject({ status: 200, body: { client: 'auth0-app', scopes: ['leads:read', 'mail:send'] } });
    // A token for this server's URL is not for the configured API identifier.
    expect((await whoami(handle.url, await tenant.token(handle.url))).status).toBe(401);
    const metadata = await fetch(`${origin(handle.url)}/.well-known/oauth-protected-resource/mcp`);
    expect(await metadata.json()).toMatchObject({ authorization_servers: [tenant.issuer] });
  });

  it('Okta: a custom authorization server at /oauth2/{id}, scopes from scp, the client from cid', async () => {
    const org = await provider({
      issuerPath: '/oauth2/aus-crm',
      extraClaims: (scope) => ({ scp: [...scope.split(' '), 'offline_access'], cid: 'okta-app' }),
    });
    const handle = await protect(okta({ domain: origin(org.issuer), authorizationServerId: 'aus-crm' }));
    const answer = await whoami(handle.url, await org.token(handle.url, 'leads:read'));
    expect(answer).toMatchObject({
      status: 200,
      body: { client: 'okta-app', scopes: ['leads:read', 'offline_access'] },
    });
  });

  it('Entra ID: a v2.0 tenant issuer, the app as audience, short scp names advertised with the App ID URI', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const clientId = '6e4f2d9a-1111-4c3b-9e2a-5d7c0a1b2c3d';
    const microsoft = await provider({
      issuerPath: `/${tenantId}/v2.0`,
      extraClaims: () => ({ scp: 'leads.read mail.send', roles: ['Leads.Admin'], azp: 'vscode' }),
    });
    const handle = await protect(
      entra({ tenantId, clientId, authority: origin(microsoft.issuer), scopesSupported: ['leads.read'] }),
    );
    const answer = await whoami(handle.url, await microsoft.token(`api://${clientId}`, 'leads:read'));
    expect(answer).toMatchObject({
      status: 200,
      body: { client: 'vscode', scopes: ['leads.read', 'mail.send', 'Leads.Admin'] },
    });
    const request = modernRequest(2, 'tools/list');
    const challenge = (await post(handle.url, request.body, request.headers)).headers.get('www-authenticate');
    expect(challenge).toContain(`scope="api://${clientId}/leads.read"`);
    const metadata = await fetch(`${origin(handle.url)}/.well-known/oauth-protected-resource/mcp`);
    expect(await metadata.json()).toMatchObject({
      authorization_servers: [microsoft.issuer],
      scopes_supported: [`api://${clientId}/leads.read`],
    });
  });

  it('Keycloak: a realm issuer, azp as the client, and only Bearer-typed tokens', async () => {
    const sso = await provider({
      issuerPath: '/realms/crm',
      extraClaims: (scope) => ({ azp: 'kc-app', typ: scope.includes('mail:send') ? 'ID' : 'Bearer' }),
    });
    const handle = await protect(keycloak({ url: origin(sso.issuer), realm: 'crm' }));
    const answer = await whoami(handle.url, await sso.token(handle.url, 'leads:read'));
    expect(answer).toMatchObject({ status: 200, body: { client: 'kc-app', scopes: ['leads:read'] } });
    const idToken = await whoami(handle.url, await sso.token(handle.url, 'mail:send'));
    expect(idToken.status).toBe(401);
    expect(idToken.challenge).toContain('Keycloak ID token');
  });

  it('Google: opaque tokens checked with tokeninfo, the OAuth client id as audience', async () => {
    // Google's tokeninfo cannot be reached from here: a local endpoint answers in its shape, from the form body.
    const seen: string[] = [];
    const tokeninfo = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`);
        const token = new URLSearchParams(body).get('access_token');
        const exp = String(Math.floor(Date.now() / 1000) + 600);
        const people: Record<string, object> = {
          'ya29.mine': {
            azp: 'client-1.apps.googleusercontent.com',
            aud: 'client-1.apps.googleusercontent.com',
            sub: '1090',
            scope: 'openid email',
            exp,
          },
          'ya29.theirs': {
            azp: 'other.apps.googleusercontent.com',
            aud: 'other.apps.googleusercontent.com',
            sub: '7',
            scope: 'openid',
            exp,
          },
        };
        const info = token === null ? undefined : people[token];
        res.writeHead(info === undefined ? 400 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(info ?? { error: 'invalid_token', error_description: 'Invalid Value' }));
      });
    });
    await new Promise<void>((resolve) => tokeninfo.listen(0, '127.0.0.1', resolve));
    running.push({ close: () => new Promise((resolve) => tokeninfo.close(() => resolve())) });
    const handle = await protect(
      google({
        clientId: 'client-1.apps.googleusercontent.com',
        tokeninfoUrl: `http://127.0.0.1:${(tokeninfo.address() as AddressInfo).port}/tokeninfo`,
      }),
    );
    const answer = await whoami(handle.url, 'ya29.mine');
    expect(answer).toMatchObject({
      status: 200,
      body: { client: 'client-1.apps.googleusercontent.com', scopes: ['openid', 'email'] },
    });
    expect((await whoami(handle.url, 'ya29.theirs')).challenge).toContain('aud');
    expect((await whoami(handle.url, 'ya29.unknown')).challenge).toContain('error="invalid_token"');
    expect(seen.every((line) => line === 'POST /tokeninfo')).toBe(true);
  });
});
