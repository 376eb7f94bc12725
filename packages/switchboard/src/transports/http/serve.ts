import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authRoutes } from '../../auth/http-auth.js';
import type { McpHost } from '../../protocol/host.js';
import type { EndpointStats } from './handler.js';
import { sharedStoresOf } from './handler.js';
import { createNodeHandler } from './node-handler.js';
import type { HttpOptions } from './options.js';
import type { HttpRoute } from './routes.js';
import { RouteTable } from './routes.js';

export interface ServeOptions extends HttpOptions {
  /** TCP port (default 3000; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default 127.0.0.1: local servers SHOULD bind only to localhost). */
  host?: string;
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  /** How long shutdown waits for in-flight requests before closing connections (default 10 s). */
  shutdownTimeoutMs?: number;
  /**
   * More handlers on the same port, by exact path or prefix (an authorization server, a health check). With `auth`,
   * the RFC 9728 metadata routes are added to these.
   */
  routes?: readonly HttpRoute[];
}

/** A running HTTP server. */
export interface HttpServerHandle {
  /** The endpoint URL, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string;
  readonly port: number;
  /** What the endpoint holds open right now (in-flight requests, sessions, streams); metrics read it. */
  stats(): EndpointStats;
  /**
   * Stops accepting, lets in-flight calls finish, ends streams, closes every connection, then closes the server's
   * shared stores (the `open()` this `serve()` made; see `SharedStores`).
   */
  close(): Promise<void>;
}

function isLoopbackHost(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1'].includes(host);
}

/** Runs an extra route's handler; its failure is logged and answered 500, and the server keeps serving. */
async function serveRoute(server: McpHost, route: HttpRoute, req: IncomingMessage, res: ServerResponse) {
  try {
    await route.handler(req, res);
  } catch (error) {
    server.logger.error({ err: error, path: route.path }, 'route handler failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
    else res.end();
  }
}

/** Serves the MCP endpoint over Streamable HTTP on `node:http`. */
export async function serve(server: McpHost, options: ServeOptions = {}): Promise<HttpServerHandle> {
  const path = options.path ?? '/mcp';
  // Shared stores are connected before anything listens: one that is down fails the start with a clear error.
  // This open() is matched by the close() of the handle (or here, if listening fails): serve() releases what it took.
  const stores = sharedStoresOf(server);
  await stores?.open();
  try {
    return await listen(server, options, path);
  } catch (error) {
    await stores?.close();
    throw error;
  }
}

async function listen(server: McpHost, options: ServeOptions, path: string): Promise<HttpServerHandle> {
  const auth = authRoutes(options.auth, path);
  const handler = createNodeHandler(server, { ...options, auth: auth?.resourceServer });
  const routes = new RouteTable([...(auth?.routes ?? []), ...(options.routes ?? [])], path);
  /** Connections with no request in progress, including ones that never sent a request: shutdown ends them. */
  const idle = new Set<Socket>();
  /** Set once in-flight requests have drained: a connection whose response ends after that is closed at once. */
  let drained = false;
  /** A response ended: its connection is idle again (or closed, once draining is over). Shared by all requests. */
  function onResponseClose(this: ServerResponse): void {
    const socket = this.req.socket;
    if (socket.destroyed) return;
    if (drained) socket.destroy();
    else idle.add(socket);
  }
  const http = createServer((req, res) => {
    idle.delete(req.socket);
    // `close` fires once per response; `on` spares the wrapper `once` would allocate per request.
    res.on('close', onResponseClose);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    if (pathname === path) return void handler(req, res);
    const route = routes.find(pathname);
    if (route !== undefined) return void serveRoute(server, route, req, res);
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `Not found; the MCP endpoint is ${path}` }));
  });
  http.on('connection', (socket: Socket) => {
    idle.add(socket);
    socket.once('close', () => idle.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 3000, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  if (!isLoopbackHost(host) && options.allowedHosts === undefined) {
    server.logger.warn(
      { host },
      'bound beyond loopback without allowedHosts: requests whose Host is not localhost get 403 (DNS-rebinding protection); set allowedHosts',
    );
  }
  if (auth !== undefined && auth.resourceServer.publicUrl === undefined && !isLoopbackHost(host)) {
    server.logger.warn(
      { host },
      'auth without publicUrl beyond loopback: the resource URL is derived from each request; set auth.publicUrl',
    );
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}${path}`,
    port,
    stats: () => handler.endpoint.stats(),
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        server.beginClose();
        await handler.endpoint.close(options.shutdownTimeoutMs ?? 10_000);
        drained = true;
        // Node's closeIdleConnections() spares a connection that has not sent a request yet; those go too.
        for (const socket of idle) socket.destroy();
        http.closeIdleConnections();
        const force = setTimeout(() => http.closeAllConnections(), 1_000);
        await stopped;
        clearTimeout(force);
        await sharedStoresOf(server)?.close();
      })();
      return closing;
    },
  };
}
