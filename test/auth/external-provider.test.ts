import { Switchboard } from 'switchboard-mcp';
import type { TokenVerifier } from 'switchboard-mcp/auth';
import { AuthUnavailableError, introspectionVerifier, jwtVerifier } from 'switchboard-mcp/auth';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { captureLogs } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalProvider } from '../support/external-provider.js';
import { startExternalProvider } from '../support/external-provider.js';
import { LEGACY, modernRequest, post } from '../support/http.js';

/**
 * The verifiers against a real, separately configured oidc-provider on another port: discovery, JWKS and RFC 7662
 * introspection over HTTP, tokens bound to this server with RFC 8707 resource indicators.
 */
let provider: ExternalProvider;
beforeAll(async () => {
  provider = await startExternalProvider();
});
afterAll(() => provider.close());

async function protect(
  verifier: TokenVerifier,
  path = '/mcp',
  logger = captureLogs().logger,
): Promise<HttpServerHandle> {
  const server = new Switchboard({ name: 'external', version: '1', logger });
  server.tool('whoami', {}, (_args, ctx) => `${ctx.auth.clientId} ${ctx.auth.scopes.join(',')}`);
  return server.listen({ port: 0, path, auth: { authorizationServers: [provider.issuer], verifier } });
}

async function modernCall(url: string, token: string): Promise<{ status: number; text: string; challenge: string }> {
  const request = modernRequest(1, 'tools/call', { name: 'whoami', arguments: {} });
  const response = await post(url, request.body, { ...request.headers, authorization: `Bearer ${token}` });
  return {
    status: response.status,
    text: await response.text(),
    challenge: response.headers.get('www-authenticate') ?? '',
  };
}

async function legacyCall(url: string, token: string): Promise<string> {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
  };
  const init = await post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
    headers,
  );
  await init.text();
  const session = {
    ...headers,
    'mcp-session-id': init.headers.get('mcp-session-id') as string,
    'mcp-protocol-version': LEGACY,
  };
  const call = await post(
    url,
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    session,
  );
  return call.text();
}

describe('JWT access tokens from an external provider', () => {
  it('discovers the JWKS and serves tokens issued for this server in both eras', async () => {
    const handle = await protect(jwtVerifier({ issuer: provider.issuer }));
    try {
      const token = await provider.token(handle.url, 'leads:read mail:send');
      const modern = await modernCall(handle.url, token);
      expect(modern.status).toBe(200);
      expect(modern.text).toContain('mcp-client leads:read,mail:send');
      expect(await legacyCall(handle.url, token)).toContain('mcp-client leads:read,mail:send');
    } finally {
      await handle.close();
    }
  });

  // 2026-07-28 basic/authorization §Token Handling: a token the same issuer minted for another resource is refused.
  it('refuses a token the provider issued for another resource', async () => {
    const handle = await protect(jwtVerifier({ issuer: provider.issuer }));
    try {
      const elsewhere = await provider.token('https://other.example.com/mcp');
      const answer = await modernCall(handle.url, elsewhere);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toContain('error="invalid_token"');
      expect(answer.challenge).toContain('aud');
    } finally {
      await handle.close();
    }
  });

  it('an issuer whose metadata cannot be discovered is an outage, not a bad token: 500, logged', async () => {
    const logs = captureLogs();
    const handle = await protect(jwtVerifier({ issuer: `${provider.issuer}/elsewhere` }), '/mcp', logs.logger);
    try {
      const answer = await modernCall(handle.url, await provider.token(handle.url));
      expect(answer.status).toBe(500);
      expect(answer.text).not.toContain(provider.issuer);
      const logged = logs.lines.find((line) => line.msg === 'authenticate hook failed');
      expect(logged?.err?.message).toMatch(/could not discover/);
    } finally {
      await handle.close();
    }
  });

  // RFC 9068 §4 / RFC 8414 §3.3: issuers compare exactly; a trailing slash is another issuer.
  it('refuses the provider’s tokens when the configured issuer differs by a trailing slash', async () => {
    const resource = 'https://mcp.example.com/mcp';
    const verifier = jwtVerifier({ issuer: `${provider.issuer}/`, jwksUri: `${provider.issuer}/jwks` });
    const error = await verifier.verify(await provider.token(resource), { resource }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/another issuer/);
  });

  it('verifies against an issuer with a path, as Keycloak realms and Okta authorization servers have', async () => {
    const realm = await startExternalProvider({ issuerPath: '/realms/test' });
    try {
      const verifier = jwtVerifier({ issuer: realm.issuer });
      const resource = 'https://mcp.example.com/mcp';
      const auth = await verifier.verify(await realm.token(resource), { resource });
      expect(auth).toMatchObject({ clientId: 'mcp-client', scopes: ['leads:read'] });
    } finally {
      await realm.close();
    }
  });
});

describe('opaque tokens and RFC 7662 introspection', () => {
  const introspection = (cacheMs?: number) =>
    introspectionVerifier({
      issuer: provider.issuer,
      clientId: provider.resourceServer.id,
      clientSecret: provider.resourceServer.secret,
      cacheMs,
    });

  it('introspects an opaque token and serves the caller', async () => {
    const handle = await protect(introspection(), '/opaque/mcp');
    try {
      const token = await provider.token(handle.url, 'leads:write');
      expect(token.split('.')).toHaveLength(1);
      const answer = await modernCall(handle.url, token);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('mcp-client leads:write');
    } finally {
      await handle.close();
    }
  });

  it('refuses a revoked token once its cache entry is over (cacheMs 0: at once)', async () => {
    const handle = await protect(introspection(0), '/opaque/mcp');
    try {
      const token = await provider.token(handle.url);
      expect((await modernCall(handle.url, token)).status).toBe(200);
      await provider.revoke(token);
      const answer = await modernCall(handle.url, token);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toContain('not active');
    } finally {
      await handle.close();
    }
  });

  it('refuses an opaque token issued for another resource', async () => {
    const handle = await protect(introspection(), '/opaque/mcp');
    try {
      const elsewhere = await provider.token('https://other.example.com/opaque/mcp');
      const answer = await modernCall(handle.url, elsewhere);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toContain('aud');
    } finally {
      await handle.close();
    }
  });

  it('wrong resource-server credentials are an outage (500), not the caller’s fault', async () => {
    const verifier = introspectionVerifier({
      issuer: provider.issuer,
      clientId: provider.resourceServer.id,
      clientSecret: 'wrong',
    });
    const resource = 'http://127.0.0.1/opaque/mcp';
    const error = await verifier.verify(await provider.token(resource), { resource }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthUnavailableError);
  });
});
