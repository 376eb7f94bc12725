import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener } from '@remix-run/node-fetch-server';
import { ZodJsonSchemaAdapter } from '@tmcp/adapter-zod';
import { HttpTransport } from '@tmcp/transport-http';
import { StdioTransport } from '@tmcp/transport-stdio';
import { McpServer } from 'tmcp';
import { z } from 'zod';
import { announce, announceStdio, transport } from './child.js';

/** tmcp: its HTTP transport (both eras) behind Remix's node-fetch-server, as its README shows. */
const server = new McpServer(
  { name: 'bench-tmcp', version: '1.0.0', description: 'benchmark' },
  { adapter: new ZodJsonSchemaAdapter(), capabilities: { tools: { listChanged: true } } },
);
server.tool(
  { name: 'add', description: 'Add two numbers', schema: z.object({ a: z.number(), b: z.number() }) },
  async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
);

if (transport === 'stdio') {
  new StdioTransport(server).listen();
  announceStdio();
} else {
  const http = new HttpTransport(server, { path: '/mcp' });
  const listener = createRequestListener(
    async (request) => (await http.respond(request)) ?? new Response(null, { status: 404 }),
  );
  const node = createServer(listener);
  node.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(node.address() as AddressInfo).port}/mcp`));
}
