import * as oauth from 'oauth4webapi';
import { authServerRoutes, builtInAuthServer } from 'switchboard-mcp/auth';
import { addUser, createAuthorizationServer } from 'switchboard-mcp/auth/server';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { modernRequest, post } from '../support/http.js';
import { crmServer } from '../support/oauth-stack.js';
import type { Harness } from './support/auth-harness.js';
import { authorize, freePort, redeem, registerClient } from './support/auth-harness.js';

vi.setConfig({ hookTimeout: 90_000, testTimeout: 60_000 });

/**
 * `server.listen()` with `auth` and `routes` answers the MCP endpoint, its RFC 9728 metadata and the built-in
 * authorization server on one port; a client walks the whole discovery chain from the 401 with oauth4webapi.
 */
describe('the built-in authorization server beside the MCP endpoint, through serve() routes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.dispose());

  it('discovers, registers, signs in, and calls a scoped tool', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const as = await createAuthorizationServer({
      issuer: origin,
      resources: [{ uri: `${origin}/mcp`, scopes: ['leads:read', 'leads:write'] }],
      database: db,
      firstRun: false,
    });
    await addUser(db, { username: 'alice', password: 'correct horse battery' }, { replace: true });
    const handle = await crmServer().listen({
      port,
      auth: builtInAuthServer(as, { scopesSupported: ['leads:read'] }),
      routes: authServerRoutes(as),
    });
    try {
      // 1. The 401 names the metadata; 2. the metadata names the authorization server; 3. its RFC 8414 document.
      const list = modernRequest(1, 'tools/list');
      const challenge = (await post(handle.url, list.body, list.headers)).headers.get('www-authenticate') ?? '';
      const metadataUrl = challenge.match(/resource_metadata="([^"]+)"/)?.[1] as string;
      expect(metadataUrl).toBe(`${origin}/.well-known/oauth-protected-resource/mcp`);
      const insecure = { [oauth.allowInsecureRequests]: true };
      const prm = await oauth.processResourceDiscoveryResponse(
        new URL(handle.url),
        await oauth.resourceDiscoveryRequest(new URL(handle.url), insecure),
      );
      expect(prm.authorization_servers).toEqual([origin]);
      const metadata = await oauth.processDiscoveryResponse(
        new URL(origin),
        await oauth.discoveryRequest(new URL(origin), { algorithm: 'oauth2', ...insecure }),
      );
      // 4. Registration, sign-in and consent, the code for a token bound to this server.
      const h = { as, issuer: origin, resource: handle.url, metadata } as unknown as Harness;
      const client = await registerClient(h);
      const flow = await authorize(h, { client, scope: 'leads:read' });
      const tokens = await redeem(h, client, flow.callback, flow.state, flow.redirectUri, flow.verifier);
      // 5. The token works on the MCP endpoint, for what its scope covers.
      const bearer = { authorization: `Bearer ${tokens.access_token}` };
      const listed = await post(handle.url, list.body, { ...list.headers, ...bearer });
      const names = ((await listed.json()) as { result: { tools: { name: string }[] } }).result.tools.map(
        (t) => t.name,
      );
      expect(names).toEqual(['whoami', 'get_lead']);
      const write = modernRequest(2, 'tools/call', { name: 'update_lead', arguments: { id: 1 } });
      expect((await post(handle.url, write.body, { ...write.headers, ...bearer })).status).toBe(403);
    } finally {
      await handle.close();
      await as.close();
    }
  });
});
