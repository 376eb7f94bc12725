import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Switchboard } from 'switchboard-mcp';
import { builtInAuthServer, metadataNodeHandler, ResourceServer } from 'switchboard-mcp/auth';
import { createAuthorizationServer } from 'switchboard-mcp/auth/server';
import { createNodeHandler } from 'switchboard-mcp/http';
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

  // switchboard-mcp/auth verifies its tokens, answers 401/403 and serves the protected-resource metadata.
  const resourceServer = new ResourceServer(builtInAuthServer(auth, { scopesSupported: ['notes:read'] }));
  const mcp = createNodeHandler(server, { auth: resourceServer });
  const metadata = metadataNodeHandler(resourceServer);

  http.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (resourceServer.metadataPaths.includes(path)) return metadata(req, res);
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
