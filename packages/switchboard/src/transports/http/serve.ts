import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Switchboard } from '../../server/switchboard.js';
import { createNodeHandler } from './node-handler.js';
import type { HttpOptions } from './options.js';

export interface ServeOptions extends HttpOptions {
  /** TCP port (default 3000; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default 127.0.0.1: local servers SHOULD bind only to localhost). */
  host?: string;
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  /** How long shutdown waits for in-flight requests before closing connections (default 10 s). */
  shutdownTimeoutMs?: number;
}

/** A running HTTP server. */
export interface HttpServerHandle {
  /** The endpoint URL, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight calls finish, ends streams, then closes every connection. */
  close(): Promise<void>;
}

/** Serves the MCP endpoint over Streamable HTTP on `node:http`. */
export async function serve(server: Switchboard, options: ServeOptions = {}): Promise<HttpServerHandle> {
  const path = options.path ?? '/mcp';
  const handler = createNodeHandler(server, options);
  const http = createServer((req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    if (pathname === path) return void handler(req, res);
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `Not found; the MCP endpoint is ${path}` }));
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
  if (!['127.0.0.1', 'localhost', '::1'].includes(host) && options.allowedHosts === undefined) {
    server.core.logger.warn(
      { host },
      'bound beyond loopback without allowedHosts: requests whose Host is not localhost get 403 (DNS-rebinding protection); set allowedHosts',
    );
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}${path}`,
    port,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        server.core.beginClose();
        await handler.endpoint.close(options.shutdownTimeoutMs ?? 10_000);
        http.closeIdleConnections();
        const force = setTimeout(() => http.closeAllConnections(), 1_000);
        await stopped;
        clearTimeout(force);
      })();
      return closing;
    },
  };
}
