import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { announceStdio, transport } from './child.js';
import { listenWithSessions } from './session-router.js';

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
  listenWithSessions(async (register) => {
    const session = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: register,
    });
    await buildServer().connect(session);
    return session;
  });
}
