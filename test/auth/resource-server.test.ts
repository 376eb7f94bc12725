import * as oauth from 'oauth4webapi';
import type { AuthInfo } from 'switchboard-mcp';
import { Switchboard } from 'switchboard-mcp';
import type { AuthOptions } from 'switchboard-mcp/auth';
import { customVerifier, jwtVerifier } from 'switchboard-mcp/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LEGACY, modernRequest, post } from '../support/http.js';
import type { TokenIssuer } from '../support/token-issuer.js';
import { startTokenIssuer } from '../support/token-issuer.js';

/** A protected server on a real port with a JWKS issuer on another: the resource-server side over HTTP. */
let issuer: TokenIssuer;
let url: string;
let origin: string;
let close: () => Promise<void>;

function register(server: Switchboard): void {
  server.tool('whoami', {}, (_args, ctx) => ({ subject: ctx.auth.subject, scopes: [...ctx.auth.scopes] }));
  server.tool('ask', {}, async (_args, ctx) => {
    const answer = await ctx.elicit('Name?', { name: z.string() });
    return answer.action === 'accept' ? `Hi ${answer.content.name} from ${ctx.auth.subject}` : 'declined';
  });
}

async function start(auth: Partial<AuthOptions> = {}) {
  const server = new Switchboard({ name: 'protected', version: '1.0.0', stateSecret: 'x'.repeat(32) });
  register(server);
  return server.listen({
    port: 0,
    auth: {
      authorizationServers: [issuer.issuer],
      verifier: jwtVerifier({ issuer: issuer.issuer }),
      scopesSupported: ['leads:read', 'leads:write'],
      ...auth,
    },
  });
}

beforeAll(async () => {
  issuer = await startTokenIssuer();
  const handle = await start();
  url = handle.url;
  origin = new URL(url).origin;
  close = () => handle.close();
});
afterAll(async () => {
  await close();
  await issuer.close();
});

const token = (claims: Record<string, unknown> = {}) =>
  issuer.sign({ sub: 'alice', aud: url, scope: 'leads:read', client_id: 'app', ...claims });
const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

async function call(name: string, headers: Record<string, string>, target = url, params = {}) {
  const request = modernRequest(1, 'tools/call', { name, arguments: {}, ...params }, { elicitation: {} });
  return post(target, request.body, { ...request.headers, ...headers });
}

describe('a protected endpoint', () => {
  // RFC 6750 §3.1, RFC 9728 §5.1: no credentials → 401 with resource_metadata and scope, no error code.
  it('answers a request without a token with 401 pointing at the metadata', async () => {
    const response = await call('whoami', {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer scope="leads:read leads:write", resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(await response.json()).toMatchObject({ error: { message: 'Unauthorized: authorization required' } });
  });

  // RFC 9728 §3 and the 2026-07-28 authorization-server-discovery: metadata at the path-suffixed and root URIs.
  it('serves Protected Resource Metadata whose resource is the URL the client used', async () => {
    const response = await oauth.resourceDiscoveryRequest(new URL(url), { [oauth.allowInsecureRequests]: true });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    // oauth4webapi checks `resource` equals the identifier the metadata URL was built from (RFC 9728 §3.3).
    const metadata = await oauth.processResourceDiscoveryResponse(new URL(url), response);
    expect(metadata).toMatchObject({
      resource: url,
      authorization_servers: [issuer.issuer],
      scopes_supported: ['leads:read', 'leads:write'],
      bearer_methods_supported: ['header'],
    });
    const root = await fetch(`${origin}/.well-known/oauth-protected-resource`);
    expect(await root.json()).toMatchObject({ resource: url });
    expect((await fetch(`${origin}/.well-known/oauth-protected-resource/other`)).status).toBe(404);
    const preflight = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect((await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`, { method: 'POST' })).status).toBe(405);
  });

  it('serves a caller with a valid token, in ctx.auth', async () => {
    const response = await call('whoami', bearer(await token()));
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { result: { content: { text: string }[] } };
    expect(JSON.parse(reply.result.content[0]?.text ?? '')).toEqual({ subject: 'alice', scopes: ['leads:read'] });
  });

  // 2026-07-28 security-considerations §Access Token Privilege Restriction: the server MUST NOT pass the client's
  // token through; handlers get the verified identity, never the token they could forward.
  it('gives handlers the identity, not the token', async () => {
    const value = await token();
    const server = new Switchboard({ name: 'leaky', version: '1.0.0' });
    server.tool('dump', {}, (_args, ctx) => JSON.stringify({ auth: ctx.auth, state: ctx.state }));
    const handle = await server.listen({
      port: 0,
      auth: { authorizationServers: [issuer.issuer], verifier: jwtVerifier({ issuer: issuer.issuer, audience: url }) },
    });
    try {
      const response = await call('dump', bearer(value), handle.url);
      const text = await response.text();
      expect(text).toContain('alice');
      expect(text).not.toContain(value);
      expect(text).not.toContain(value.split('.')[2] as string);
    } finally {
      await handle.close();
    }
  });

  // 2026-07-28 basic/authorization §Token Handling: invalid or expired tokens MUST receive HTTP 401.
  it('answers a bad token with 401 invalid_token and says why', async () => {
    const expired = await token({ exp: Math.floor(Date.now() / 1000) - 120 });
    for (const [value, reason] of [
      [expired, 'expired'],
      [await token({ aud: 'http://127.0.0.1:1/mcp' }), 'aud'],
      ['not-a-jwt', 'not a valid JWT'],
    ] as const) {
      const response = await call('whoami', bearer(value));
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer error="invalid_token", scope="leads:read leads:write", resource_metadata="/);
      expect(challenge).toContain(reason);
    }
  });

  // 2026-07-28 basic/authorization §Token Requirements: access tokens MUST NOT be in the URI query string;
  // RFC 6750 §2.3 and §3.1: such a request is invalid_request, answered 400.
  it('refuses a token in the query string with 400, even a valid one, with or without the header', async () => {
    const valid = await token();
    for (const headers of [bearer(valid), {}]) {
      const response = await call('whoami', headers, `${url}?access_token=${valid}`);
      expect(response.status).toBe(400);
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer error="invalid_request", resource_metadata="/);
      expect(challenge).toContain('query string');
      expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('Bad Request') } });
    }
    // A token already verified (and cached) does not let the query-string form through either.
    expect((await call('whoami', bearer(valid))).status).toBe(200);
    expect((await call('whoami', bearer(valid), `${url}?access_token=${valid}`)).status).toBe(400);
  });

  // RFC 6750 §2.1 and §3.1: an empty Bearer credential, or two of them, is a malformed request (400).
  it('refuses empty and repeated Bearer credentials with 400 invalid_request', async () => {
    const valid = await token();
    for (const authorization of ['Bearer', 'Bearer    ', `Bearer ${valid}, Bearer ${valid}`]) {
      const response = await call('whoami', { authorization });
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
    }
  });

  it('refuses a token from an issuer the metadata does not name', async () => {
    const stranger = await startTokenIssuer();
    try {
      const response = await call('whoami', bearer(await stranger.sign({ sub: 'alice', aud: url })));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    } finally {
      await stranger.close();
    }
  });

  // 2025-11-25 transports §Session Management + security best practices §Session Hijacking, end to end with tokens.
  it("answers a 2025 session used with another principal's token as an unknown session (404)", async () => {
    const alice = await token();
    const bob = await token({ sub: 'bob' });
    const init = await post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
      { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...bearer(alice) },
    );
    const session = init.headers.get('mcp-session-id') as string;
    await init.text();
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': LEGACY,
      'mcp-session-id': session,
    };
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    });
    const stolen = await post(url, body, { ...headers, ...bearer(bob) });
    expect(stolen.status).toBe(404);
    await stolen.text();
    const own = await post(url, body, { ...headers, ...bearer(alice) });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('alice');
    // Every request of the session is authenticated: without a token it is a 401, not the session's caller.
    const anonymous = await post(url, body, headers);
    expect(anonymous.status).toBe(401);
    await anonymous.text();
  });

  // 2026-07-28 basic/patterns/mrtr §Server Requirements: requestState is bound to the caller.
  it('binds an MRTR requestState to the principal whose token started it', async () => {
    const first = (await (await call('ask', bearer(await token()))).json()) as {
      result: { resultType: string; requestState: string; inputRequests: Record<string, unknown> };
    };
    expect(first.result.resultType).toBe('input_required');
    const key = Object.keys(first.result.inputRequests)[0] as string;
    const params = {
      requestState: first.result.requestState,
      inputResponses: { [key]: { action: 'accept', content: { name: 'A' } } },
    };
    const foreign = await call('ask', bearer(await token({ sub: 'mallory' })), url, params);
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({
      error: { code: -32602, message: expect.stringContaining('different caller') },
    });
    const own = await call('ask', bearer(await token()), url, params);
    expect(((await own.json()) as { result: { content: { text: string }[] } }).result.content[0]?.text).toBe(
      'Hi A from alice',
    );
  });
});

describe('endpoint-wide scopes and token caching', () => {
  it('requiredScopes: a token without them gets 403 insufficient_scope naming them', async () => {
    const handle = await start({ requiredScopes: ['mcp'] });
    try {
      const audience = handle.url;
      const weak = await issuer.sign({ sub: 'alice', aud: audience, scope: 'leads:read' });
      const response = await call('whoami', bearer(weak), handle.url);
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toMatch(
        /^Bearer error="insufficient_scope", scope="mcp", resource_metadata="/,
      );
      const strong = await issuer.sign({ sub: 'alice', aud: audience, scope: 'mcp leads:read' });
      expect((await call('whoami', bearer(strong), handle.url)).status).toBe(200);
    } finally {
      await handle.close();
    }
  });

  it('verifies a token once and reuses it until it expires', async () => {
    let verified = 0;
    const people: Record<string, AuthInfo> = {
      alice: { subject: 'alice', scopes: [], claims: {}, expiresAt: Math.floor(Date.now() / 1000) + 60 },
    };
    const handle = await start({
      verifier: customVerifier((value) => {
        verified++;
        const person = people[value];
        if (person === undefined) throw new Error('unreachable in this test');
        return person;
      }),
    });
    try {
      for (let i = 0; i < 3; i++) expect((await call('whoami', bearer('alice'), handle.url)).status).toBe(200);
      expect(verified).toBe(1);
    } finally {
      await handle.close();
    }
  });
});
