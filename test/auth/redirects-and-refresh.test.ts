import { addUser, removeUser } from 'switchboard-mcp/auth/server';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlEngines } from '../support/services.js';
import type { Harness } from './support/auth-harness.js';
import {
  authorizationUrl,
  authorize,
  PASSWORD,
  registerClient,
  startAuthServer,
  tokenRequest,
  verifyAtResourceServer,
} from './support/auth-harness.js';
import { FormBrowser } from './support/form-browser.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

describe.each(sqlEngines())('redirect URIs and refresh tokens on $name', ({ url }) => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase({ url });
    h = await startAuthServer(db);
  });
  afterAll(async () => {
    await h?.close();
    await db?.dispose();
  });

  /** The AS must answer with its own error page and never send the browser to the offered URI. */
  async function refusedRedirect(client: Awaited<ReturnType<typeof registerClient>>, redirectUri: string) {
    const browser = new FormBrowser();
    const request = await authorizationUrl(h, { client, redirectUri });
    const at = await browser.visit(request.url);
    expect(at.startsWith(h.issuer)).toBe(true);
    expect(browser.status).toBe(400);
    expect(browser.page).toContain('invalid_redirect_uri');
  }

  // OAuth 2.1 §2.3.1 / RFC 9700 §4.1.3: redirect URIs are compared by exact string match.
  describe('a web client registered with https://app.example.com/cb', () => {
    let client: Awaited<ReturnType<typeof registerClient>>;
    beforeAll(async () => {
      client = await registerClient(h, { redirect_uris: ['https://app.example.com/cb'], application_type: 'web' });
    });
    it.each([
      ['a prefix match', 'https://app.example.com/cbx'],
      ['an extra path segment', 'https://app.example.com/cb/more'],
      ['another host', 'https://evil.example.com/cb'],
      ['a different port', 'https://app.example.com:8443/cb'],
      ['an added query', 'https://app.example.com/cb?next=https://evil.example.com'],
      ['a javascript: URI', 'javascript:alert(document.cookie)'],
    ])('refuses %s', async (_name, uri) => refusedRedirect(client, uri));

    it('accepts the registered URI exactly', async () => {
      const flow = await authorize(h, { client });
      expect(flow.callback.href.startsWith('https://app.example.com/cb?code=')).toBe(true);
    });
  });

  // RFC 8252 §7.3: a loopback redirect URI may use any port at request time (VS Code falls back to a random one).
  describe('a native client registered with http://127.0.0.1:33418/callback', () => {
    let client: Awaited<ReturnType<typeof registerClient>>;
    beforeAll(async () => {
      client = await registerClient(h, { redirect_uris: ['http://127.0.0.1:33418/callback'] });
    });
    it('accepts another port on the same loopback path', async () => {
      const flow = await authorize(h, { client, redirectUri: 'http://127.0.0.1:51234/callback' });
      expect(flow.callback.searchParams.get('code')).toBeTruthy();
      const tokens = await tokenRequest(h, {
        grant_type: 'authorization_code',
        client_id: client.client_id,
        code: flow.callback.searchParams.get('code')!,
        redirect_uri: 'http://127.0.0.1:51234/callback',
        code_verifier: flow.verifier,
      });
      expect(tokens.status).toBe(200);
    });
    it('refuses another path on a loopback port', async () => refusedRedirect(client, 'http://127.0.0.1:51234/other'));
    it('refuses a non-loopback host on that port', async () =>
      refusedRedirect(client, 'http://evil.example.com:33418/callback'));
  });

  it('accepts a private-use scheme a desktop client registers (cursor://)', async () => {
    const client = await registerClient(h, {
      redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/user-switchboard/callback'],
    });
    const flow = await authorize(h, { client });
    expect(flow.callback.protocol).toBe('cursor:');
    expect(flow.callback.searchParams.get('code')).toBeTruthy();
  });

  describe('refresh tokens', () => {
    async function signedIn(scope = 'leads:read') {
      const client = await registerClient(h);
      const flow = await authorize(h, { client, scope });
      const tokens = await tokenRequest(h, {
        grant_type: 'authorization_code',
        client_id: client.client_id,
        code: flow.callback.searchParams.get('code')!,
        redirect_uri: flow.redirectUri,
        code_verifier: flow.verifier,
      });
      expect(tokens.status).toBe(200);
      return { client, refreshToken: String(tokens.body.refresh_token), accessToken: String(tokens.body.access_token) };
    }
    const refresh = (clientId: string, token: string, extra: Record<string, string> = {}) =>
      tokenRequest(h, { grant_type: 'refresh_token', client_id: clientId, refresh_token: token, ...extra });

    // OAuth 2.1 §4.3.1 / RFC 9700 §4.14.2: public clients' refresh tokens rotate; reuse revokes the grant.
    it('rotates on every use, and the reuse of a rotated token revokes the whole grant', async () => {
      const { client, refreshToken, accessToken } = await signedIn();
      const rotated = await refresh(client.client_id, refreshToken);
      expect(rotated.status).toBe(200);
      const next = String(rotated.body.refresh_token);
      expect(next).not.toBe(refreshToken);
      const rotatedAccess = String(rotated.body.access_token);
      await expect(verifyAtResourceServer(h, rotatedAccess)).resolves.toMatchObject({ clientId: client.client_id });
      expect(await refresh(client.client_id, refreshToken)).toMatchObject({
        status: 400,
        body: { error: 'invalid_grant' },
      });
      expect(await refresh(client.client_id, next)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      // Every access token of the grant ends with it, the first and the one the rotation issued.
      for (const token of [accessToken, rotatedAccess]) {
        await expect(verifyAtResourceServer(h, token)).rejects.toThrow('the token was revoked');
      }
    });

    // RFC 6749 §6: a refresh MUST NOT add scope beyond the original grant.
    it('refuses a scope the grant never had', async () => {
      const { client, refreshToken } = await signedIn('leads:read');
      const escalated = await refresh(client.client_id, refreshToken, { scope: 'leads:read leads:write' });
      expect(escalated).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
      expect((await refresh(client.client_id, refreshToken, { scope: 'leads:read' })).status).toBe(200);
    });

    // OAuth 2.1 §4.3.1: the AS MUST verify that the refresh token was issued to the authenticated client.
    it('refuses a refresh token presented by another client', async () => {
      const { refreshToken } = await signedIn();
      const other = await registerClient(h);
      expect(await refresh(other.client_id, refreshToken)).toMatchObject({
        status: 400,
        body: { error: 'invalid_grant' },
      });
    });

    // RFC 7009: a revoked refresh token no longer works; introspection (RFC 7662) says so.
    it('revokes a refresh token, and the access tokens of its grant with it', async () => {
      const { client, refreshToken, accessToken } = await signedIn();
      await expect(verifyAtResourceServer(h, accessToken)).resolves.toBeDefined();
      const revoked = await fetch(h.metadata.revocation_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, client_id: client.client_id }).toString(),
      });
      expect(revoked.status).toBe(200);
      const introspected = await fetch(h.metadata.introspection_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, client_id: client.client_id }).toString(),
      });
      expect(await introspected.json()).toEqual({ active: false });
      expect(await refresh(client.client_id, refreshToken)).toMatchObject({
        status: 400,
        body: { error: 'invalid_grant' },
      });
      await expect(verifyAtResourceServer(h, accessToken)).rejects.toThrow('the token was revoked');
    });

    // Removing a user revokes everything issued to them (docs/auth.md, Users): their access tokens stop too.
    it("ends a removed user's refresh and access tokens", async () => {
      const { client, refreshToken, accessToken } = await signedIn();
      await expect(verifyAtResourceServer(h, accessToken)).resolves.toBeDefined();
      try {
        expect(await removeUser(db, 'alice')).toBe(true);
        await expect(verifyAtResourceServer(h, accessToken)).rejects.toThrow('the token was revoked');
        expect(await refresh(client.client_id, refreshToken)).toMatchObject({ status: 400 });
      } finally {
        await addUser(db, { username: 'alice', password: PASSWORD }, { replace: true });
      }
    });
  });
});
