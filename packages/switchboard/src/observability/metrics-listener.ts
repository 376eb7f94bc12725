import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The metrics port, apart from the MCP endpoint. */
export interface MetricsListener {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on its own port and answers `path` (default `/metrics`) with `answer`; 404 elsewhere. */
export async function listenForScrapes(
  options: { port?: number; host?: string; path?: string },
  answer: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<MetricsListener> {
  const path = options.path ?? '/metrics';
  const http = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found; metrics are at ${path}\n`);
      return;
    }
    answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 9464, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
