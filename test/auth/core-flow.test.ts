import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { listUsers } from 'switchboard-mcp/auth/server';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlEngines } from '../support/services.js';
import type { Harness } from './support/auth-harness.js';
import { authorize, redeem, registerClient, startAuthServer } from './support/auth-harness.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

describe.each(sqlEngines())('built-in authorization server on $name', ({ url }) => {
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

  it('publishes RFC 8414 and OpenID discovery with the issuer exactly as configured', async () => {
    expect(h.metadata.issuer).toBe(h.issuer);
    expect(h.metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(h.metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(h.metadata.client_id_metadata_document_supported).toBe(true);
    expect(h.metadata.response_types_supported).toEqual(['code']);
    const oidc = (await (await fetch(`${h.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(oidc.issuer).toBe(h.issuer);
    expect(oidc.jwks_uri).toBe(h.as.accessTokens.jwksUri);
  });

  it('signs a user in, asks consent, and issues a JWT access token bound to the resource', async () => {
    const client = await registerClient(h);
    const flow = await authorize(h, { client });
    // RFC 9207: the authorization response names its issuer.
    expect(flow.callback.searchParams.get('iss')).toBe(h.issuer);
    const tokens = await redeem(h, client, flow.callback, flow.state, flow.redirectUri, flow.verifier);
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const jwks = createRemoteJWKSet(new URL(h.as.accessTokens.jwksUri));
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer: h.issuer,
      audience: h.resource,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ scope: 'leads:read', client_id: client.client_id });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(tokens.refresh_token).toBeTypeOf('string');
  });

  it("carries the user's own claims in the access token, for row-level security", async () => {
    const users = await listUsers(db);
    const alice = users.find((user) => user.username === 'alice');
    await db.query('UPDATE auth_users SET claims = $1 WHERE id = $2', [JSON.stringify({ teams: ['emea'] }), alice?.id]);
    const client = await registerClient(h);
    const flow = await authorize(h, { client });
    const tokens = await redeem(h, client, flow.callback, flow.state, flow.redirectUri, flow.verifier);
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(h.as.accessTokens.jwksUri)), {
      issuer: h.issuer,
      audience: h.resource,
    });
    expect(payload).toMatchObject({ sub: alice?.id, teams: ['emea'] });
  });
});

describe('signing keys', () => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startAuthServer(db, { signingAlgorithm: 'EdDSA' });
  });
  afterAll(async () => {
    await h?.close();
    await db?.dispose();
  });

  async function accessToken() {
    const client = await registerClient(h);
    const flow = await authorize(h, { client });
    return (await redeem(h, client, flow.callback, flow.state, flow.redirectUri, flow.verifier)).access_token;
  }
  const verify = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(h.as.accessTokens.jwksUri)), {
      issuer: h.issuer,
      audience: h.resource,
    });

  it('persist across restarts, rotate with the old key still verifying, and retire', async () => {
    const before = await accessToken();
    expect(decodeProtectedHeader(before).alg).toBe('EdDSA');
    const restarted = await startAuthServer(db);
    expect(restarted.as.jwks()).toEqual(h.as.jwks());
    await restarted.close();

    const oldKid = decodeProtectedHeader(before).kid;
    const newKid = await h.as.rotateSigningKey({ alg: 'ES256' });
    expect(h.as.jwks().keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    const after = await accessToken();
    expect(decodeProtectedHeader(after)).toMatchObject({ kid: newKid, alg: 'ES256' });
    await expect(verify(before)).resolves.toBeDefined();
    await expect(verify(after)).resolves.toBeDefined();

    // Retired once no token it signed can still be valid: here, pretend the rotation was an hour ago.
    await db.query("UPDATE auth_signing_keys SET signs_from = now() - interval '1 hour' WHERE kid = $1", [newKid]);
    expect(await h.as.retireOldKeys()).toEqual([oldKid]);
    expect(h.as.jwks().keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(verify(before)).rejects.toThrow();
  });
});
