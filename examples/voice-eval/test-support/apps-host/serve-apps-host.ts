import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';

/** The two origins of a web host: the chat page and the sandbox proxy (ext-apps: they MUST differ). */
export interface AppsHost {
  /** The host page, e.g. http://127.0.0.1:41000/host.html */
  readonly pageUrl: string;
  readonly sandboxOrigin: string;
  close(): Promise<void>;
}

const file = (name: string) => readFile(new URL(name, import.meta.url), 'utf8');

/**
 * Serves the test host page and its sandbox proxy on two 127.0.0.1 ports. The page's MCP requests
 * (`POST /mcp-proxy`) go through `client`, a real MCP client connected to the real server.
 */
export async function serveAppsHost(client: Client): Promise<AppsHost> {
  const sandbox = await listen(async (req, res) => {
    if (req.url !== '/sandbox.html') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await file('./sandbox.html'));
  });
  const page = await listen(async (req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/host.html')) {
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await file('./host.html'));
    }
    if (req.method !== 'POST' || req.url !== '/mcp-proxy') return void res.writeHead(404).end();
    const { method, params } = JSON.parse(await body(req)) as { method: string; params: never };
    const result =
      method === 'tools/list'
        ? await client.listTools()
        : method === 'resources/read'
          ? await client.readResource(params)
          : method === 'tools/call'
            ? await client.callTool(params)
            : { error: `unsupported ${method}` };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
  return {
    pageUrl: `${origin(page)}/host.html`,
    sandboxOrigin: origin(sandbox),
    close: async () => {
      await Promise.all(
        [page, sandbox].map((server) => {
          const closed = new Promise((resolve) => server.close(resolve));
          server.closeAllConnections();
          return closed;
        }),
      );
    },
  };
}

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => res.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function origin(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
