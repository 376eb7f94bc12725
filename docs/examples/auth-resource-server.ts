import { createServer, type Server } from 'node:http';
import { Switchboard } from 'switchboard-mcp';
import type { AuthOptions } from 'switchboard-mcp/auth';
import {
  auth0,
  authFromEnvironment,
  enforceScopes,
  jwtVerifier,
  metadataNodeHandler,
  ResourceServer,
} from 'switchboard-mcp/auth';
import { createNodeHandler } from 'switchboard-mcp/http';
import type { StdioOptions } from 'switchboard-mcp/stdio';
import { z } from 'zod';

/** Tools declare the scopes a caller needs; `leads` covers `leads:read` and `leads:write`. */
export function createCrm(): Switchboard {
  const server = new Switchboard({ name: 'crm', version: '1.0.0' });
  server.tool('whoami', {}, (_args, ctx) => `You are ${ctx.auth.subject} via ${ctx.auth.clientId}`);
  server.tool('get_lead', { input: { id: z.number() }, scopes: ['leads:read'] }, ({ id }) => `Lead ${id}: trial`);
  server.tool(
    'delete_lead',
    { input: { id: z.number() }, scopes: ['leads:write'], annotations: { destructiveHint: true } },
    ({ id }) => `Lead ${id} deleted`,
  );
  return server;
}

/** Any OAuth 2.1 authorization server that issues JWT access tokens: give its issuer, the rest is discovered. */
export async function protect(issuer: string) {
  return createCrm().listen({
    port: 0,
    auth: {
      authorizationServers: [issuer],
      verifier: jwtVerifier({ issuer }),
      scopesSupported: ['leads:read', 'leads:write'],
    },
  });
}

/** An identity provider's preset, in production behind a proxy: the public URL is what clients use. */
export function auth0Options(): AuthOptions {
  return auth0({
    domain: 'acme.us.auth0.com',
    publicUrl: 'https://mcp.acme.com/mcp',
    scopesSupported: ['leads:read', 'leads:write'],
  });
}

/** In your own node:http, Express or Fastify: one ResourceServer for the endpoint and its metadata. */
export function mountInNodeHttp(issuer: string): Server {
  const auth = new ResourceServer({ authorizationServers: [issuer], verifier: jwtVerifier({ issuer }) });
  const mcp = createNodeHandler(createCrm(), { auth });
  const metadata = metadataNodeHandler(auth);
  return createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '/';
    if (auth.metadataPaths.includes(path)) return metadata(req, res);
    if (path === '/mcp') return void mcp(req, res);
    res.writeHead(404).end();
  });
}

/** stdio takes no OAuth: the launcher sets MCP_ACCESS_TOKEN, verified once at start with the same verifier. */
export async function serveStdio(issuer: string, resource: string, pipes: Pick<StdioOptions, 'input' | 'output'> = {}) {
  const server = createCrm();
  enforceScopes(server);
  const auth = await authFromEnvironment({ verifier: jwtVerifier({ issuer }), resource });
  return server.stdio({ ...pipes, auth });
}
