import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { announce } from './child.js';

/** Official SDK v2 serving 2025-era sessions: one McpServer and transport per session, as its docs show. */
function buildServer() {
  const server = new McpServer({ name: 'bench-sdk-v2-stateful', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }),
  );
  return server;
}

const sessions = new Map<string, NodeStreamableHTTPServerTransport>();

const http = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', async () => {
    const parsed = body === '' ? undefined : JSON.parse(body);
    const sid = req.headers['mcp-session-id'] as string | undefined;
    const existing = sid === undefined ? undefined : sessions.get(sid);
    if (existing !== undefined) return existing.handleRequest(req, res, parsed);
    if (sid === undefined && parsed?.method === 'initialize') {
      const transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, transport);
        },
      });
      await buildServer().connect(transport);
      return transport.handleRequest(req, res, parsed);
    }
    res.writeHead(sid === undefined ? 400 : 404).end();
  });
});
http.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`));
