import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { announce, announceStdio, transport } from './child.js';

/** Official SDK v2: `createMcpHandler` (a fresh McpServer per request), the SDK's 2026-07-28 entry point. */
function factory() {
  const server = new McpServer({ name: 'bench-sdk-v2', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }),
  );
  return server;
}

if (transport === 'stdio') {
  serveStdio(factory);
  announceStdio();
} else {
  const handler = toNodeHandler(createMcpHandler(factory));
  const server = createServer((req, res) => void handler(req, res));
  server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`));
}
