import { authServerRoutes, builtInAuthServer } from 'switchboard-mcp/auth';
import type { AuthorizationServer } from 'switchboard-mcp/auth/server';
import { createAuthorizationServer } from 'switchboard-mcp/auth/server';
import type { ServeOptions } from 'switchboard-mcp/http';
import type { Database } from 'switchboard-mcp/sql';
import { PII_SCOPE, READ_SCOPE } from './caller.js';

export interface Protection {
  /** What `server.listen()` needs: the resource-server side and the authorization server's routes on one port. */
  readonly serve: Pick<ServeOptions, 'auth' | 'routes'>;
  readonly authorizationServer: AuthorizationServer;
}

/**
 * The built-in authorization server in front of the leads endpoint, on the same origin: users sign in on its
 * pages, clients discover it from the 401, and every token is bound to `${origin}/mcp`. Its state (users, grants,
 * keys) lives in the leads database. On the first run it adds a `demo` user who sees every team's leads.
 */
export async function protectWithBuiltInServer(db: Database, origin: string): Promise<Protection> {
  const authorizationServer = await createAuthorizationServer({
    issuer: origin,
    resources: [
      {
        uri: `${origin}/mcp`,
        scopes: [READ_SCOPE, PII_SCOPE],
        scopeDescriptions: {
          [READ_SCOPE]: 'Search and read leads, their pipeline and activity',
          [PII_SCOPE]: 'See full phone numbers and email addresses',
        },
      },
    ],
    database: db,
    brand: 'Leads',
    // Row-level security reads the caller's teams from the token; the demo user gets all of them.
    firstRun: { claims: { teams: ['*'] } },
  });
  return {
    serve: {
      auth: builtInAuthServer(authorizationServer, { scopesSupported: [READ_SCOPE, PII_SCOPE] }),
      routes: authServerRoutes(authorizationServer),
    },
    authorizationServer,
  };
}
