import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SignOptions {
  /** Which key signs (default: the newest). */
  kid?: string;
  /** The `typ` header (default `at+jwt`); null leaves it out. */
  typ?: string | null;
  /** Lifetime in seconds from now (default 300); ignored when `claims.exp` is given. */
  expiresIn?: number;
}

/**
 * A minimal token issuer over real HTTP for verifier tests: RFC 8414 metadata and a JWKS at 127.0.0.1, keys made
 * with jose, tokens signed with them. `rotate()` adds a key the JWKS then publishes; `jwksFetches` counts fetches.
 */
export interface TokenIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly jwksFetches: number;
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  /** Adds a new key (published from now on) and returns its kid. */
  rotate(): Promise<string>;
  /** The public JWK of a key (for the HS256-with-public-key attack). */
  publicJwk(kid?: string): JWK;
  close(): Promise<void>;
}

export async function startTokenIssuer(alg: 'ES256' | 'RS256' = 'ES256'): Promise<TokenIssuer> {
  const keys: SigningKey[] = [];
  let fetches = 0;
  const addKey = async () => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `key-${keys.length + 1}`;
    keys.push({ kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } });
    return kid;
  };
  await addKey();
  let base = '';
  const http: Server = createServer((req, res) => {
    if (req.url === '/jwks') {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    } else if (req.url === '/.well-known/oauth-authorization-server') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks`, response_types_supported: ['code'] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const keyOf = (kid?: string) => {
    const key = kid === undefined ? keys[keys.length - 1] : keys.find((k) => k.kid === kid);
    if (key === undefined) throw new Error(`no key ${kid}`);
    return key;
  };
  return {
    issuer: base,
    jwksUri: `${base}/jwks`,
    get jwksFetches() {
      return fetches;
    },
    async sign(claims, options = {}) {
      const key = keyOf(options.kid);
      const header: Record<string, string> = { alg: key.alg, kid: key.kid };
      if (options.typ !== null) header.typ = options.typ ?? 'at+jwt';
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: base, iat: now, exp: now + (options.expiresIn ?? 300), ...claims })
        .setProtectedHeader(header as never)
        .sign(key.privateKey);
    },
    rotate: addKey,
    publicJwk: (kid) => keyOf(kid).publicJwk,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
