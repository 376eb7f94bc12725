import { createPublicKey } from 'node:crypto';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import type { TokenVerifier } from 'switchboard-mcp/auth';
import { InvalidTokenError, jwtVerifier } from 'switchboard-mcp/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenIssuer } from '../support/token-issuer.js';
import { startTokenIssuer } from '../support/token-issuer.js';

/**
 * The token-claims rows of the negative matrix, against a JWKS served over real HTTP. Each refusal is an
 * InvalidTokenError, which the resource server answers with 401 `error="invalid_token"`.
 */
const RESOURCE = 'https://mcp.example.com/mcp';
const context = { resource: RESOURCE };

let issuer: TokenIssuer;
let rsaIssuer: TokenIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await startTokenIssuer('ES256');
  rsaIssuer = await startTokenIssuer('RS256');
  verifier = jwtVerifier({ issuer: issuer.issuer, jwksCooldownMs: 0 });
});
afterAll(async () => {
  await issuer.close();
  await rsaIssuer.close();
});

async function refusal(check: Promise<unknown>): Promise<string> {
  const error = await check.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

describe('JWT access tokens', () => {
  it('accepts a token for this resource and maps its claims', async () => {
    const token = await issuer.sign({ sub: 'user-1', aud: RESOURCE, scope: 'leads:read mail', client_id: 'app' });
    const auth = await verifier.verify(token, context);
    expect(auth).toMatchObject({ subject: 'user-1', clientId: 'app', scopes: ['leads:read', 'mail'] });
    expect(auth.claims.iss).toBe(issuer.issuer);
  });

  it('discovers the JWKS from the issuer metadata (RFC 8414)', async () => {
    const before = issuer.jwksFetches;
    const discovering = jwtVerifier({ issuer: issuer.issuer });
    await discovering.verify(await issuer.sign({ sub: 'u', aud: RESOURCE }), context);
    expect(issuer.jwksFetches).toBe(before + 1);
  });

  it('accepts aud as an array, and in another case or with a trailing slash', async () => {
    const auth = await verifier.verify(
      await issuer.sign({ sub: 'u', aud: ['https://other.example', 'HTTPS://MCP.EXAMPLE.COM/mcp/'] }),
      context,
    );
    expect(auth.subject).toBe('u');
  });

  // 2026-07-28 basic/authorization §Token Handling: tokens MUST be issued for this server (RFC 8707 §2).
  it('refuses a token for another audience, and one without aud', async () => {
    expect(
      await refusal(verifier.verify(await issuer.sign({ sub: 'u', aud: 'https://other.example/mcp' }), context)),
    ).toMatch(/aud/);
    expect(await refusal(verifier.verify(await issuer.sign({ sub: 'u' }), context))).toMatch(/aud/);
    // A prefix of this resource is another resource.
    expect(
      await refusal(verifier.verify(await issuer.sign({ sub: 'u', aud: 'https://mcp.example.com' }), context)),
    ).toMatch(/aud/);
  });

  // OAuth 2.1 §5.2 / RFC 9068 §4: exp is checked, with a small clock skew.
  it('refuses an expired token; tolerates 30 s of clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      await refusal(verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE, exp: now - 60 }), context)),
    ).toMatch(/expired/);
    const skewed = await verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE, exp: now - 5 }), context);
    expect(skewed.subject).toBe('u');
  });

  it('refuses a token that is not valid yet (nbf), and one without exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(
      await refusal(verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE, nbf: now + 600 }), context)),
    ).toMatch(/nbf/);
    // RFC 9068 §2.2: exp is REQUIRED.
    const noExp = await issuer.sign({ sub: 'u', aud: RESOURCE, exp: undefined });
    expect(await refusal(verifier.verify(noExp, context))).toMatch(/exp/);
  });

  // RFC 9068 §4: the issuer MUST exactly match.
  it('refuses a token from another issuer, even one differing by a trailing slash', async () => {
    expect(
      await refusal(
        verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE, iss: 'https://evil.example' }), context),
      ),
    ).toMatch(/iss/);
    expect(
      await refusal(verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE, iss: `${issuer.issuer}/` }), context)),
    ).toMatch(/iss/);
  });

  // RFC 8725 §3.1 / §2.1: an unsecured JWT is never accepted.
  it('refuses alg: none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const payload = base64url.encode(JSON.stringify({ iss: issuer.issuer, sub: 'u', aud: RESOURCE, exp: now + 300 }));
    expect(await refusal(verifier.verify(`${header}.${payload}.`, context))).toBeTruthy();
  });

  // RFC 8725 §2.1 and §3.1 (algorithm confusion): an HMAC keyed with the issuer's public key is refused.
  it('refuses an HS256 token signed with the public key', async () => {
    const rsaVerifier = jwtVerifier({ issuer: rsaIssuer.issuer, jwksUri: rsaIssuer.jwksUri });
    const jwk = rsaIssuer.publicJwk();
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ iss: rsaIssuer.issuer, sub: 'u', aud: RESOURCE, exp: now + 300 })
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid as string, typ: 'at+jwt' })
      .sign(new TextEncoder().encode(pem as string));
    expect(await refusal(rsaVerifier.verify(forged, context))).toMatch(/algorithm/);
    // The genuine RS256 token of the same issuer passes.
    expect((await rsaVerifier.verify(await rsaIssuer.sign({ sub: 'u', aud: RESOURCE }), context)).subject).toBe('u');
  });

  it('refuses HS* and none in the algorithm allow-list itself', () => {
    expect(() => jwtVerifier({ issuer: issuer.issuer, algorithms: ['HS256' as never] })).toThrow(/asymmetric/);
    expect(() => jwtVerifier({ issuer: issuer.issuer, algorithms: ['none' as never] })).toThrow(/asymmetric/);
  });

  // RFC 7515 §4.1.4: a kid the issuer does not publish matches no key, even after the JWKS is fetched again.
  it('refuses a token with an unknown kid, after refetching the JWKS once', async () => {
    const stranger = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iss: issuer.issuer, sub: 'u', aud: RESOURCE, exp: now + 300 })
      .setProtectedHeader({ alg: 'ES256', kid: 'not-published', typ: 'at+jwt' })
      .sign(stranger.privateKey);
    const before = issuer.jwksFetches;
    expect(await refusal(verifier.verify(token, context))).toMatch(/kid/);
    expect(issuer.jwksFetches).toBe(before + 1);
  });

  it('refuses a token signed by a key other than the one its kid names', async () => {
    const stranger = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iss: issuer.issuer, sub: 'u', aud: RESOURCE, exp: now + 300 })
      .setProtectedHeader({ alg: 'ES256', kid: 'key-1', typ: 'at+jwt' })
      .sign(stranger.privateKey);
    expect(await refusal(verifier.verify(token, context))).toMatch(/signature/);
  });

  it('follows key rotation: a token with a newly published kid is verified after one refetch', async () => {
    await verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE }), context);
    const before = issuer.jwksFetches;
    const kid = await issuer.rotate();
    const auth = await verifier.verify(await issuer.sign({ sub: 'rotated', aud: RESOURCE }, { kid }), context);
    expect(auth.subject).toBe('rotated');
    expect(issuer.jwksFetches).toBe(before + 1);
  });

  // RFC 9068 §2.1 / §4: typ at+jwt, when required, keeps ID tokens and other JWTs out.
  it('requires typ at+jwt unless told the issuer does not set it', async () => {
    const idLike = await issuer.sign({ sub: 'u', aud: RESOURCE }, { typ: 'JWT' });
    expect(await refusal(verifier.verify(idLike, context))).toMatch(/typ/);
    expect(
      await refusal(verifier.verify(await issuer.sign({ sub: 'u', aud: RESOURCE }, { typ: null }), context)),
    ).toMatch(/typ/);
    const lenient = jwtVerifier({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, requireAccessTokenType: false });
    expect((await lenient.verify(idLike, context)).subject).toBe('u');
    const full = await issuer.sign({ sub: 'u', aud: RESOURCE }, { typ: 'application/at+jwt' });
    expect((await verifier.verify(full, context)).subject).toBe('u');
  });

  it('refuses what is not a JWT at all', async () => {
    expect(await refusal(verifier.verify('opaque-token-value', context))).toMatch(/not a valid JWT/);
  });

  it('a configured audience replaces the resource (providers that name APIs their own way)', async () => {
    const entraLike = jwtVerifier({ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: 'api://leads' });
    expect((await entraLike.verify(await issuer.sign({ sub: 'u', aud: 'api://leads' }), context)).subject).toBe('u');
    expect(await refusal(entraLike.verify(await issuer.sign({ sub: 'u', aud: RESOURCE }), context))).toMatch(/aud/);
  });
});
