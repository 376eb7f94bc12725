import { Switchboard } from 'switchboard-mcp';
import { jwtVerifier } from 'switchboard-mcp/auth';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LEGACY, modernRequest, post } from '../support/http.js';
import type { TokenIssuer } from '../support/token-issuer.js';
import { startTokenIssuer } from '../support/token-issuer.js';

/** Per-tool scopes over real HTTP: lists filtered by the token's scopes, the step-up 403 in both eras. */
let issuer: TokenIssuer;
let handle: HttpServerHandle;
let metadata: string;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  const server = new Switchboard({ name: 'crm', version: '1' });
  server.tool('get_lead', { input: { id: z.number() }, scopes: ['leads:read'] }, ({ id }) => `lead ${id}`);
  server.tool('update_lead', { input: { id: z.number() }, scopes: ['leads:read', 'leads:write'] }, () => 'updated');
  server.tool('send_mail', { scopes: ['mail:send'] }, () => 'sent');
  handle = await server.listen({
    port: 0,
    auth: {
      authorizationServers: [issuer.issuer],
      verifier: jwtVerifier({ issuer: issuer.issuer }),
      scopesSupported: ['mcp', 'leads:read'],
      requiredScopes: ['mcp'],
    },
  });
  metadata = `${new URL(handle.url).origin}/.well-known/oauth-protected-resource/mcp`;
});
afterAll(async () => {
  await handle.close();
  await issuer.close();
});

const tokenWith = (scope: string) => issuer.sign({ sub: 'alice', aud: handle.url, scope });
const STEP_UP = () =>
  `Bearer error="insufficient_scope", scope="leads:read leads:write mcp", resource_metadata="${metadata}", error_description="Forbidden: tool update_lead needs scope leads:write"`;

describe('per-tool scopes over HTTP', () => {
  it('tools/list shows only the tools the token covers', async () => {
    const list = async (scope: string) => {
      const request = modernRequest(1, 'tools/list');
      const response = await post(handle.url, request.body, {
        ...request.headers,
        authorization: `Bearer ${await tokenWith(scope)}`,
      });
      const reply = (await response.json()) as { result: { tools: { name: string }[] } };
      return reply.result.tools.map((tool) => tool.name);
    };
    expect(await list('mcp')).toEqual([]);
    expect(await list('mcp leads:read')).toEqual(['get_lead']);
    expect(await list('mcp leads')).toEqual(['get_lead', 'update_lead']);
  });

  // 2026-07-28 basic/authorization §Runtime Insufficient Scope Errors: 403, error="insufficient_scope", every scope
  // the operation needs in one challenge, and resource_metadata.
  it('2026-07-28: a call without the scope gets 403 with the step-up challenge', async () => {
    const request = modernRequest(2, 'tools/call', { name: 'update_lead', arguments: { id: 1 } });
    const response = await post(handle.url, request.body, {
      ...request.headers,
      authorization: `Bearer ${await tokenWith('mcp leads:read')}`,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(STEP_UP());
    expect(await response.json()).toMatchObject({
      id: 2,
      error: { code: -32003, data: { missingScopes: ['leads:write'] } },
    });
    const granted = await post(handle.url, request.body, {
      ...request.headers,
      authorization: `Bearer ${await tokenWith('mcp leads:read leads:write')}`,
    });
    expect(granted.status).toBe(200);
    expect(await granted.text()).toContain('updated');
  });

  // Clients that re-authorize with exactly the challenged scopes (SDK v1) keep what they had; offline_access and
  // scopes this server does not use are not repeated (2026-07-28 §Refresh Tokens: not in WWW-Authenticate).
  it('the challenge repeats the scopes the caller holds that this server uses', async () => {
    const request = modernRequest(4, 'tools/call', { name: 'update_lead', arguments: { id: 1 } });
    const response = await post(handle.url, request.body, {
      ...request.headers,
      authorization: `Bearer ${await tokenWith('mcp mail:send offline_access profile')}`,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="leads:read leads:write mcp mail:send"');
    expect(await response.json()).toMatchObject({
      error: {
        data: { requiredScopes: ['leads:read', 'leads:write', 'mcp'], missingScopes: ['leads:read', 'leads:write'] },
      },
    });
  });

  it('2025-11-25: the same 403 and challenge inside a session', async () => {
    const token = await tokenWith('mcp leads:read');
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
    };
    const init = await post(
      handle.url,
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
    const call = (name: string) =>
      post(
        handle.url,
        JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name, arguments: { id: 1 } } }),
        session,
      );
    const refused = await call('update_lead');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(STEP_UP());
    expect(await refused.json()).toMatchObject({ id: 3, error: { code: -32003 } });
    const allowed = await call('get_lead');
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('lead 1');
  });
});
