import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWSAlgorithm } from 'jose';
import type { HttpRoute } from '../../transports/http/routes.js';
import { jwtVerifier } from '../jwt-verifier.js';
import type { AuthOptions } from '../resource-server.js';
import type { TokenVerifier } from '../verifier.js';
import { InvalidTokenError } from '../verifier.js';
import type { PresetOptions } from './identity-provider.js';

/** What the resource server needs of the built-in authorization server (`createAuthorizationServer()`). */
export interface BuiltInAuthServer {
  readonly issuer: string;
  readonly accessTokens: { readonly issuer: string; readonly jwksUri: string; readonly algorithms: readonly string[] };
  /** Exact paths, and prefixes ending in `/`. */
  readonly paths: readonly string[];
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /** Whether a token (by `jti`) is unexpired and not revoked; without it, a verified signature is enough. */
  isAccessTokenActive?(jti: string): Promise<boolean>;
}

/**
 * How long a verified token is trusted before its revocation is checked again: a revoked grant's access tokens
 * stop working within this time, and a busy caller costs one lookup per token this often.
 */
const REVOCATION_CHECK_MS = 30_000;

/**
 * The `auth` option for tokens of the built-in authorization server (`switchboard-mcp/auth/server`): its issuer,
 * its JWKS, its algorithms, and `typ: at+jwt`, which it always sets; then whether the token's grant was revoked
 * (re-checked every 30 s while a token is in use).
 */
export function builtInAuthServer(as: BuiltInAuthServer, options: PresetOptions = {}): AuthOptions {
  const signature = jwtVerifier({
    issuer: as.accessTokens.issuer,
    jwksUri: as.accessTokens.jwksUri,
    algorithms: as.accessTokens.algorithms as JWSAlgorithm[],
  });
  const active = as.isAccessTokenActive?.bind(as);
  const verifier: TokenVerifier =
    active === undefined
      ? signature
      : {
          maxCacheMs: REVOCATION_CHECK_MS,
          async verify(token, context) {
            const auth = await signature.verify(token, context);
            const jti = auth.claims.jti;
            if (typeof jti !== 'string' || !(await active(jti))) throw new InvalidTokenError('the token was revoked');
            return auth;
          },
        };
  return { ...options, authorizationServers: [as.issuer], verifier };
}

/** The built-in authorization server's paths as `serve()` routes, to answer it on the MCP server's port. */
export function authServerRoutes(as: BuiltInAuthServer): HttpRoute[] {
  return as.paths.map((path) =>
    path.endsWith('/') ? { path: path.slice(0, -1), prefix: true, handler: as.handler } : { path, handler: as.handler },
  );
}
