import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWSAlgorithm } from 'jose';
import type { HttpRoute } from '../../transports/http/routes.js';
import { jwtVerifier } from '../jwt-verifier.js';
import type { AuthOptions } from '../resource-server.js';
import type { PresetOptions } from './identity-provider.js';

/** What the resource server needs of the built-in authorization server (`createAuthorizationServer()`). */
export interface BuiltInAuthServer {
  readonly issuer: string;
  readonly accessTokens: { readonly issuer: string; readonly jwksUri: string; readonly algorithms: readonly string[] };
  /** Exact paths, and prefixes ending in `/`. */
  readonly paths: readonly string[];
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/**
 * The `auth` option for tokens of the built-in authorization server (`switchboard-mcp/auth/server`): its issuer,
 * its JWKS, its algorithms, and `typ: at+jwt`, which it always sets.
 */
export function builtInAuthServer(as: BuiltInAuthServer, options: PresetOptions = {}): AuthOptions {
  return {
    ...options,
    authorizationServers: [as.issuer],
    verifier: jwtVerifier({
      issuer: as.accessTokens.issuer,
      jwksUri: as.accessTokens.jwksUri,
      algorithms: as.accessTokens.algorithms as JWSAlgorithm[],
    }),
  };
}

/** The built-in authorization server's paths as `serve()` routes, to answer it on the MCP server's port. */
export function authServerRoutes(as: BuiltInAuthServer): HttpRoute[] {
  return as.paths.map((path) =>
    path.endsWith('/') ? { path: path.slice(0, -1), prefix: true, handler: as.handler } : { path, handler: as.handler },
  );
}
