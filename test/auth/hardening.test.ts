import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Harness } from './support/auth-harness.js';
import { authorizationUrl, listen, PASSWORD, registerClient, startAuthServer } from './support/auth-harness.js';
import { FormBrowser } from './support/form-browser.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

describe('hardening', () => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startAuthServer(db, { maxLoginAttempts: 3 });
  });
  afterAll(async () => {
    await h?.close();
    await db?.dispose();
  });

  // NIST SP 800-63B §5.2.2: online guessing is rate limited.
  it('stops password guessing after the attempt budget, even with the right password', async () => {
    const client = await registerClient(h);
    const browser = new FormBrowser();
    await browser.visit((await authorizationUrl(h, { client })).url);
    for (let i = 0; i < 3; i++) {
      await browser.submit('/login', { username: 'alice', password: `guess ${i} guess` });
      expect(browser.page).toContain('do not match');
    }
    await browser.submit('/login', { username: 'alice', password: PASSWORD });
    expect(browser.page).toContain('Too many attempts');
  });

  it('answers CORS preflights for browser-based registration', async () => {
    const preflight = await fetch(h.metadata.registration_endpoint!, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    const registered = await fetch(h.metadata.registration_endpoint!, {
      method: 'POST',
      headers: { origin: 'http://localhost:6274', 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://localhost:6274/oauth/callback'],
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
  });

  it('never takes its URLs from the Host header', async () => {
    const response = await fetch(`${h.issuer}/.well-known/oauth-authorization-server`, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    });
    const metadata = (await response.json()) as Record<string, string>;
    expect(metadata.token_endpoint).toBe(`${h.issuer}/oauth/token`);
  });

  it('answers 404 for paths that are not its own', async () => {
    expect((await fetch(`${h.issuer}/mcp`)).status).toBe(404);
    expect(h.as.handles('/mcp')).toBe(false);
    expect(h.as.handles('/oauth/token')).toBe(true);
    expect(h.as.paths).toEqual([
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
      '/oauth/',
    ]);
  });
});

describe('an https issuer', () => {
  let db: TestDatabase;
  let h: Harness;
  let plain = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    // Served over plain HTTP here, as behind a TLS-terminating proxy: the issuer alone decides the cookies.
    const listener = await listen();
    plain = listener.origin;
    const issuer = plain.replace('http://127.0.0.1', 'https://localhost');
    h = await startAuthServer(
      db,
      {
        issuer,
        resources: [{ uri: `${issuer}/mcp`, scopes: ['leads:read'] }],
        clients: [
          { client_id: 'cli', redirect_uris: ['http://127.0.0.1:7777/cb'], token_endpoint_auth_method: 'none' },
        ],
      },
      listener,
    );
  });
  afterAll(async () => {
    await h?.close();
    await db?.dispose();
  });

  // RFC 6265bis §4.1.3.2: __Host- cookies are Secure, Path=/ and host-only.
  it('sets __Host- cookies, Secure, on the sign-in pages, and writes https URLs', async () => {
    const client = { client_id: 'cli', redirect_uris: ['http://127.0.0.1:7777/cb'] };
    const request = await authorizationUrl(h, { client });
    const browser = new FormBrowser();
    const first = await browser.request(request.url.replace(h.issuer, plain));
    const interaction = first.headers.getSetCookie().find((c) => c.startsWith('__Host-sb-interaction='))!;
    expect(interaction).toMatch(/; path=\//);
    expect(interaction).toMatch(/; secure/i);
    expect(interaction).not.toMatch(/domain=/i);
    const location = new URL(first.headers.get('location')!, h.issuer);
    expect(location.origin).toBe(h.issuer);
    const page = await browser.request(`${plain}${location.pathname}`);
    expect(page.status).toBe(200);
    const csrf = page.headers.getSetCookie().find((c) => c.startsWith('__Host-sb-csrf='))!;
    expect(csrf).toMatch(/; Secure/);
  });
});
