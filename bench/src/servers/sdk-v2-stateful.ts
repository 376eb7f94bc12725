import { randomUUID } from 'node:crypto';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { listenWithSessions } from './session-router.js';

/** Official SDK v2 serving 2025-era sessions: one McpServer and transport per session, as its docs show. */
listenWithSessions(async (register) => {
  const server = new McpServer({ name: 'bench-sdk-v2-stateful', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }),
  );
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: register,
  });
  await server.connect(transport);
  return transport;
});
