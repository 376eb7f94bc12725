import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import Provider from 'oidc-provider';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlEngines } from '../support/services.js';
import type { Harness } from './support/auth-harness.js';
import { authorizationUrl, listen, registerClient, startAuthServer, tokenRequest } from './support/auth-harness.js';
import { FormBrowser } from './support/form-browser.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

/**
 * Proxy mode against a second, separately configured oidc-provider on its own port playing GitHub/Google: its
 * discovery, JWKS, token and userinfo endpoints are reached over real HTTP.
 */
describe.each(sqlEngines())('proxy mode on $name', ({ url }) => {
  let db: TestDatabase;
  let h: Harness;
  let upstream: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    db = await createTestDatabase({ url });
    upstream = await listen();
    const ours = await listen();
    const provider = new Provider(upstream.origin, {
      clients: [
        {
          client_id: 'switchboard-proxy',
          client_secret: 'upstream-secret',
          redirect_uris: [`${ours.origin}/oauth/upstream/callback`],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({ sub: id, preferred_username: id, email: `${id}@upstream.test` }),
      }),
      claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email'] },
      issueRefreshToken: () => true,
      // Expires "soon" by the proxy's 30 s margin, so the first use refreshes it upstream.
      ttl: { AccessToken: 20 },
    });
    upstream.server.on('request', provider.callback());
    h = await startAuthServer(
      db,
      {
        upstream: {
          issuer: upstream.origin,
          clientId: 'switchboard-proxy',
          clientSecret: 'upstream-secret',
          scopes: ['openid', 'profile', 'email'],
          tokenEncryptionKey: randomBytes(32).toString('base64url'),
        },
      },
      ours,
    );
  });
  afterAll(async () => {
    await h?.close();
    upstream?.server.closeAllConnections();
    await new Promise((resolve) => upstream?.server.close(resolve));
    await db?.dispose();
  });

  async function signInUpstream(browser: FormBrowser, deny = false) {
    const client = await registerClient(h);
    const request = await authorizationUrl(h, { client });
    browser.follow = 'http://127.0.0.1:';
    let at = await browser.visit(request.url);
    expect(at.startsWith(upstream.origin)).toBe(true);
    // The upstream's own (development) pages: one form each, posted to /interaction/:uid.
    at = await browser.submit('', { login: 'octocat', password: 'anything' });
    if (deny) {
      const abort = /href="([^"]*\/abort)"/.exec(browser.page)![1]!;
      at = await browser.visit(new URL(abort, at).href);
    } else {
      at = await browser.submit('', {});
    }
    return { client, request, at };
  }

  it('signs in upstream, shows its own consent, issues its own token and keeps the upstream one sealed', async () => {
    const browser = new FormBrowser();
    const { client, request, at } = await signInUpstream(browser);
    expect(at.startsWith(h.issuer)).toBe(true);
    expect(browser.page).toContain('Allow access?');
    expect(browser.page).toContain('Signed in as <strong>octocat</strong>');
    const done = new URL(await browser.submit('/consent', { decision: 'allow' }));
    const tokens = await tokenRequest(h, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: done.searchParams.get('code')!,
      redirect_uri: request.redirectUri,
      code_verifier: request.verifier,
    });
    expect(tokens.status).toBe(200);
    const claims = decodeJwt(String(tokens.body.access_token));
    expect(claims).toMatchObject({ iss: h.issuer, aud: h.resource });
    expect(claims.sub).not.toBe('octocat');

    const upstreamToken = await h.as.upstreamAccessToken(String(claims.sub));
    expect(upstreamToken).toBeTypeOf('string');
    // The upstream token is the upstream provider's own (it answers userinfo for octocat) ...
    const metadata = (await (await fetch(`${upstream.origin}/.well-known/openid-configuration`)).json()) as {
      userinfo_endpoint: string;
    };
    const info = await fetch(metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${upstreamToken}` } });
    expect(await info.json()).toMatchObject({ sub: 'octocat' });
    // ... and it reaches neither the MCP client nor the database in the clear.
    expect(JSON.stringify(tokens.body)).not.toContain(upstreamToken!);
    const { rows } = await db.query<{ sealed: string }>('SELECT sealed FROM auth_upstream_tokens');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.sealed).not.toContain(upstreamToken!);
  });

  // The upstream `state` is single-use (RFC 9700 §4.7.1): presenting the callback again finds nothing.
  it('uses the upstream state once: a replayed callback is refused', async () => {
    const browser = new FormBrowser();
    await signInUpstream(browser);
    const callback = browser.history.findLast((u) => u.includes('/oauth/upstream/callback'))!;
    expect(callback).toContain('state=');
    await browser.visit(callback);
    expect(browser.status).toBe(400);
    expect(browser.page).toContain('already used');
  });

  it('passes an upstream refusal on to the MCP client as access_denied', async () => {
    const browser = new FormBrowser();
    const { at } = await signInUpstream(browser, true);
    expect(new URL(at).searchParams.get('error')).toBe('access_denied');
  });
});
