import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlEngines } from '../support/services.js';
import type { Harness } from './support/auth-harness.js';
import {
  authorizationUrl,
  authorize,
  redeem,
  registerClient,
  startAuthServer,
  tokenRequest,
  verifyAtResourceServer,
} from './support/auth-harness.js';
import { FormBrowser } from './support/form-browser.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

describe.each(sqlEngines())('PKCE and authorization codes on $name', ({ url }) => {
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

  const codeExchange = (client: { client_id: string }, flow: Awaited<ReturnType<typeof authorize>>, extra = {}) =>
    tokenRequest(h, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: flow.callback.searchParams.get('code')!,
      redirect_uri: flow.redirectUri,
      code_verifier: flow.verifier,
      resource: h.resource,
      ...extra,
    });

  // OAuth 2.1 §4.1.1 / MCP 2025-11-25 §Authorization Code Protection: PKCE is required.
  it('refuses an authorization request without a code challenge', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client, params: { code_challenge: null, code_challenge_method: null } });
    expect(flow.callback.searchParams.get('error')).toBe('invalid_request');
    expect(flow.callback.searchParams.get('code')).toBeNull();
  });

  // MCP 2025-11-25 §Authorization Code Protection: S256 MUST be used where possible; `plain` is refused.
  it('refuses the plain challenge method', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, {
      client,
      params: { code_challenge_method: 'plain', code_challenge: 'x'.repeat(43) },
    });
    expect(flow.callback.searchParams.get('error')).toBe('invalid_request');
  });

  // RFC 7636 §4.6: the verifier must match the challenge.
  it('refuses a wrong code verifier', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client });
    const result = await codeExchange(client, flow, { code_verifier: 'w'.repeat(43) });
    expect(result).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  // OAuth 2.1 §4.1.3: a code used twice is refused, and the tokens issued from it are revoked.
  it('refuses a reused code and revokes what the first use issued', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client });
    const first = await codeExchange(client, flow);
    expect(first.status).toBe(200);
    const accessToken = String(first.body.access_token);
    await expect(verifyAtResourceServer(h, accessToken)).resolves.toMatchObject({ clientId: client.client_id });
    const second = await codeExchange(client, flow);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const refresh = await tokenRequest(h, {
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: String(first.body.refresh_token),
    });
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The access token from the first use is refused too, though its signature and lifetime are still good.
    await expect(verifyAtResourceServer(h, accessToken)).rejects.toThrow('the token was revoked');
  });

  // OAuth 2.1 §4.1.2: codes are short-lived; an expired one is refused.
  it('refuses an expired code', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client });
    const past = Math.floor(Date.now() / 1000) - 10;
    await db.query(
      `UPDATE auth_oidc_payloads SET expires_at = now() - interval '10 seconds',
       payload = jsonb_set(payload, '{exp}', to_jsonb($1::int)) WHERE model = 'AuthorizationCode'`,
      [past],
    );
    expect(await codeExchange(client, flow)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  // OAuth 2.1 §4.1.3: the code must have been issued to the client redeeming it.
  it('refuses a code redeemed by another client', async () => {
    const owner = await registerClient(h);
    const thief = await registerClient(h, { redirect_uris: owner.redirect_uris });
    const flow = await authorize(h, { client: owner });
    expect(await codeExchange(thief, flow)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await codeExchange(owner, flow)).status).toBe(200);
  });

  // RFC 6749 §3.3: a request without scope is served with a default or refused with invalid_scope; there is no
  // default here, so it is refused at once (no sign-in, no empty consent page), to the client with its state.
  it('refuses an authorization request without scope with invalid_scope, before any sign-in', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client, params: { scope: null } });
    expect(flow.browser.history).toHaveLength(1);
    expect(flow.callback.searchParams.get('error')).toBe('invalid_scope');
    expect(flow.callback.searchParams.get('error_description')).toContain('leads:read leads:write');
    expect(flow.callback.searchParams.get('state')).toBe(flow.state);
    expect(flow.callback.searchParams.get('iss')).toBe(h.issuer);
  });

  // RFC 8707 §2: a resource this server does not serve gets invalid_target.
  it('refuses a resource it does not issue tokens for', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client, resource: 'https://elsewhere.example/mcp' });
    expect(flow.callback.searchParams.get('error')).toBe('invalid_target');
  });

  it('lets the user deny access', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client, consent: 'deny' });
    expect(flow.callback.searchParams.get('error')).toBe('access_denied');
    expect(flow.callback.searchParams.get('state')).toBe(flow.state);
  });

  it('issues tokens through oauth4webapi end to end', async () => {
    const client = await registerClient(h);
    const browser = new FormBrowser();
    const flow = await authorize(h, { client, browser });
    const tokens = await redeem(h, client, flow.callback, flow.state, flow.redirectUri, flow.verifier);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    // A second authorization in the same browser keeps the sign-in, but a native (loopback) client is asked for
    // consent again each time: its identity cannot be assured (RFC 8252 §8.6, oidc-provider's native_client_prompt).
    const again = await authorizationUrl(h, { client });
    await browser.visit(again.url);
    expect(browser.forms().some((f) => f.action.endsWith('/login'))).toBe(false);
    expect(browser.page).toContain('Read your leads');
    const at = await browser.submit('/consent', { decision: 'allow' });
    expect(new URL(at).searchParams.get('code')).toBeTruthy();
  });
});
