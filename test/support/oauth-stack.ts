import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Switchboard } from 'switchboard-mcp';
import { builtInAuthServer, metadataNodeHandler, ResourceServer } from 'switchboard-mcp/auth';
import type { AuthorizationServer, AuthorizationServerOptions } from 'switchboard-mcp/auth/server';
import { addUser, createAuthorizationServer, listUsers } from 'switchboard-mcp/auth/server';
import type { HttpOptions } from 'switchboard-mcp/http';
import { createNodeHandler } from 'switchboard-mcp/http';
import type { Database } from 'switchboard-mcp/sql';
import { z } from 'zod';

export const USERS = { alice: 'correct horse battery', bob: 'tr0ub4dor and 3' } as const;

/** The CRM every end-to-end test drives: one open tool, one that reads leads, one that changes them. */
export function crmServer(): Switchboard {
  const server = new Switchboard({ name: 'crm', version: '1.0.0', stateSecret: 'e2e-secret-e2e-secret-e2e-secret!' });
  server.tool(
    'whoami',
    { description: 'Who is calling' },
    (_args, ctx) => `${ctx.auth.subject} via ${ctx.auth.clientId}`,
  );
  server.tool('get_lead', { input: { id: z.number() }, scopes: ['leads:read'] }, ({ id }) => `Lead ${id}: trial`);
  server.tool('update_lead', { input: { id: z.number() }, scopes: ['leads:write'] }, ({ id }) => `Lead ${id} updated`);
  return server;
}

/** The MCP server and the built-in authorization server on one loopback port, as a deployment would run them. */
export interface OAuthStack {
  readonly origin: string;
  /** The MCP endpoint, `{origin}/mcp`. */
  readonly url: string;
  readonly as: AuthorizationServer;
  readonly server: Switchboard;
  /** The `sub` each user's tokens carry. */
  readonly subjects: Record<keyof typeof USERS, string>;
  close(): Promise<void>;
}

export async function startOAuthStack(
  db: Database,
  options: { http?: HttpOptions; as?: Partial<AuthorizationServerOptions> } = {},
): Promise<OAuthStack> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const as = await createAuthorizationServer({
    issuer: origin,
    resources: [
      {
        uri: url,
        scopes: ['leads:read', 'leads:write'],
        scopeDescriptions: { 'leads:read': 'Read your leads', 'leads:write': 'Change your leads' },
      },
    ],
    database: db,
    firstRun: false,
    ...options.as,
  });
  for (const [username, password] of Object.entries(USERS))
    await addUser(db, { username, password }, { replace: true });
  const ids = new Map((await listUsers(db)).map((user) => [user.username, user.id]));
  const subjects = { alice: ids.get('alice') as string, bob: ids.get('bob') as string };
  const auth = new ResourceServer(builtInAuthServer(as, { scopesSupported: ['leads:read'] }));
  const server = crmServer();
  const mcp = createNodeHandler(server, { ...options.http, auth });
  const metadata = metadataNodeHandler(auth);
  http.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (auth.metadataPaths.includes(path)) return metadata(req, res);
    if (as.handles(path)) return void as.handler(req, res);
    if (path === '/mcp') return void mcp(req, res);
    res.writeHead(404).end();
  });
  return {
    origin,
    url,
    as,
    server,
    subjects,
    close: async () => {
      await mcp.endpoint.close(1_000);
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await as.close();
    },
  };
}
