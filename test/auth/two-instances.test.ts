import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlEngines } from '../support/services.js';
import type { Harness } from './support/auth-harness.js';
import { authorize, registerClient, startAuthServer } from './support/auth-harness.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

/** Two authorization-server processes behind one issuer share one database, as behind a load balancer. */
describe.each(sqlEngines())('two instances on one $name database', ({ url }) => {
  let db: TestDatabase;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    db = await createTestDatabase({ url });
    a = await startAuthServer(db);
    b = await startAuthServer(db);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.dispose();
  });

  const post = (h: Harness, body: Record<string, string>) =>
    fetch(`${h.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));

  it('signs with one shared key set: either instance publishes the same JWKS, and follows a rotation', async () => {
    expect(a.as.jwks()).toEqual(b.as.jwks());
    const kid = await a.as.rotateSigningKey();
    expect(b.as.jwks().keys[0]?.kid).not.toBe(kid);
    await b.as.reloadKeys();
    expect(b.as.jwks()).toEqual(a.as.jwks());
    expect(b.as.jwks().keys[0]?.kid).toBe(kid);
  });

  // OAuth 2.1 §4.1.3: a code is redeemed once, even when two instances receive it at the same moment. The loser
  // of the race treats it as reuse and revokes the grant (SHOULD revoke), so the winner may lose its tokens too:
  // never both, and whatever was issued stops refreshing.
  it('never lets two simultaneous redemptions of a code both succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const client = await registerClient(a);
      const flow = await authorize(a, { client });
      const body = {
        grant_type: 'authorization_code',
        client_id: client.client_id,
        code: flow.callback.searchParams.get('code')!,
        redirect_uri: flow.redirectUri,
        code_verifier: flow.verifier,
      };
      const results = await Promise.all([post(a, body), post(b, body)]);
      const refused = results.filter((r) => r.status === 400);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      // The loser: invalid_grant. A winner whose grant was revoked mid-issue finds no resource left to grant.
      expect(refused.some((r) => r.body.error === 'invalid_grant')).toBe(true);
      for (const r of refused) expect(['invalid_grant', 'invalid_target']).toContain(r.body.error);
      const winner = results.find((r) => r.status === 200);
      if (winner) {
        const again = await post(a, {
          grant_type: 'refresh_token',
          client_id: client.client_id,
          refresh_token: winner.body.refresh_token!,
        });
        expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      }
    }
  });

  // RFC 9700 §4.14.2: a refresh token rotates once, even across instances (and the race counts as reuse).
  it('never lets two simultaneous refreshes both rotate the token', async () => {
    const client = await registerClient(a);
    const flow = await authorize(a, { client });
    const tokens = await post(a, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: flow.callback.searchParams.get('code')!,
      redirect_uri: flow.redirectUri,
      code_verifier: flow.verifier,
    });
    const body = {
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: tokens.body.refresh_token!,
    };
    const results = await Promise.all([post(a, body), post(b, body)]);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.some((r) => r.status === 400 && r.body.error === 'invalid_grant')).toBe(true);
  });
});
