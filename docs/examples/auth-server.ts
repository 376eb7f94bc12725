import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Switchboard } from 'switchboard-mcp';
import { createAuthorizationServer } from 'switchboard-mcp/auth/server';
import { AuthChallenge, createNodeHandler } from 'switchboard-mcp/http';
import type { Database } from 'switchboard-mcp/sql';

/** An MCP server and its built-in authorization server on one port: `/mcp` beside `/oauth/...`. */
export async function startProtectedServer(options: { port?: number; database?: Database } = {}) {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(options.port ?? 3000, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const resource = `${origin}/mcp`;

  const auth = await createAuthorizationServer({
    issuer: origin,
    resources: [{ uri: resource, scopes: ['notes:read'], scopeDescriptions: { 'notes:read': 'Read your notes' } }],
    database: options.database, // default: PGlite in .switchboard/data, or PostgreSQL from DATABASE_URL
    brand: 'Notes',
  });

  const server = new Switchboard({ name: 'notes', version: '1.0.0' });
  server.tool('whoami', { description: 'Who is calling' }, (_args, ctx) => `You are ${ctx.auth.subject}`);

  // Verifying the tokens by hand; switchboard-mcp/auth does this (and the 401/403 challenges) for you.
  const jwks = createRemoteJWKSet(new URL(auth.accessTokens.jwksUri));
  const challenge = `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`;
  const mcp = createNodeHandler(server, {
    authenticate: async (request) => {
      const token = request.header('authorization')?.match(/^Bearer (.+)$/)?.[1];
      if (token === undefined) return new AuthChallenge(401, challenge);
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: auth.accessTokens.issuer,
          audience: resource,
          typ: auth.accessTokens.typ,
          algorithms: [...auth.accessTokens.algorithms],
        });
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
        return {
          subject: payload.sub,
          clientId: String(payload.client_id),
          scopes,
          expiresAt: payload.exp,
          claims: payload,
        };
      } catch {
        return new AuthChallenge(401, `${challenge}, error="invalid_token"`);
      }
    },
  });

  http.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (auth.handles(path)) return void auth.handler(req, res);
    if (path === '/mcp') return void mcp(req, res);
    res.writeHead(404).end();
  });
  return {
    origin,
    auth,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await auth.close();
    },
  };
}
