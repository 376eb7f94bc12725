import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { announce, announceStdio, transport } from './child.js';

/** Official SDK v1 (1.x): McpServer with one stateful StreamableHTTPServerTransport per session. */
function buildServer() {
  const server = new McpServer({ name: 'bench-sdk-v1', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }),
  );
  return server;
}

if (transport === 'stdio') {
  await buildServer().connect(new StdioServerTransport());
  announceStdio();
} else {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
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
        const session = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            sessions.set(id, session);
          },
        });
        await buildServer().connect(session);
        return session.handleRequest(req, res, parsed);
      }
      res.writeHead(sid === undefined ? 400 : 404).end();
    });
  });
  http.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`));
}
