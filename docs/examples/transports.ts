import { createServer as createHttpServer, type Server } from 'node:http';
import { Switchboard } from 'switchboard-mcp';
import { createFetchHandler, createNodeHandler } from 'switchboard-mcp/http';

function buildServer(): Switchboard {
  const server = new Switchboard({ name: 'transports-demo', version: '1.0.0' });
  server.tool('ping_db', { description: 'Check the database' }, () => 'ok');
  return server;
}

/** The built-in listener: `listen()` returns the URL and a graceful `close()`. */
export async function startStandalone() {
  return buildServer().listen({
    port: 0,
    host: '127.0.0.1',
    allowedOrigins: ['https://app.example.com'],
    maxBodyBytes: 1024 * 1024,
  });
}

/** Inside your own node:http (or Express/Connect: `app.all('/mcp', handler)`). */
export function mountOnNodeHttp(): Server {
  const handler = createNodeHandler(buildServer());
  return createHttpServer((req, res) => {
    if (req.url?.startsWith('/mcp')) return void handler(req, res);
    res.writeHead(404).end();
  });
}

/** For Hono, Bun, Deno and other fetch runtimes: `(Request) => Promise<Response>`. */
export function fetchHandler(): (request: Request) => Promise<Response> {
  return createFetchHandler(buildServer());
}
