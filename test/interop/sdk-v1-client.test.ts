import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ErrorCode,
  LoggingMessageNotificationSchema,
  McpError,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyHeaders, post } from '../support/http.js';
import { createInteropServer, TOOL_NAMES } from './fixture-server.js';
import { closeStdio, stdioServer, textOf } from './support.js';

let http: HttpServerHandle;

beforeAll(async () => {
  http = await serve(createInteropServer(), { port: 0 });
});
afterAll(() => http.close());

function newClient(): Client {
  return new Client({ name: 'interop-v1', version: '1.0.0' });
}

/** What both transports must get right with the v1 client (2025-11-25). */
async function exercise(client: Client): Promise<void> {
  expect(client.getServerVersion()).toEqual({ name: 'interop-fixture', version: '1.2.3' });
  expect(client.getInstructions()).toBe('Use add for sums.');
  expect(client.getServerCapabilities()).toMatchObject({
    tools: {},
    resources: { subscribe: true },
    prompts: {},
    completions: {},
    logging: {},
  });

  // Tools, and structured output: v1 compiles each listed outputSchema with Ajv and validates structuredContent
  // against it on every call, so a schema Ajv rejects or a result that does not fit fails the call client-side.
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
  const lookup = tools.find((t) => t.name === 'lookup_lead');
  expect(lookup?.annotations).toEqual({ readOnlyHint: true });
  expect(lookup?.outputSchema).toMatchObject({
    type: 'object',
    properties: {
      id: { type: 'number' },
      stage: { type: 'string', enum: ['trial', 'paid'] },
      plan: { type: 'string' },
    },
    required: ['id', 'stage', 'plan'],
  });
  expect(textOf(await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toBe('3');
  const lead = await client.callTool({ name: 'lookup_lead', arguments: { id: 42 } });
  expect(lead.structuredContent).toEqual({ id: 42, stage: 'trial', plan: 'Growth' });
  expect(JSON.parse(textOf(lead))).toEqual({ id: 42, stage: 'trial', plan: 'Growth' });
  const rejected = await client.callTool({ name: 'lookup_lead', arguments: { id: -1 } });
  expect(rejected.isError).toBe(true);
  expect(textOf(rejected)).toMatch(/- id: expected a number > 0, received number -1/);
  const unknown = await client.callTool({ name: 'nope', arguments: {} }).catch((error: unknown) => error);
  expect(unknown).toBeInstanceOf(McpError);
  expect(unknown).toMatchObject({ code: ErrorCode.InvalidParams, message: expect.stringContaining('"nope"') });

  // Resources and templates.
  expect((await client.listResources()).resources).toEqual([
    { uri: 'memo://readme', name: 'readme', mimeType: 'text/plain', description: 'A short text' },
  ]);
  expect((await client.readResource({ uri: 'memo://readme' })).contents).toEqual([
    { uri: 'memo://readme', mimeType: 'text/plain', text: 'Interop works.' },
  ]);
  const templates = await client.listResourceTemplates();
  expect(templates.resourceTemplates).toEqual([
    { uriTemplate: 'lead://{id}', name: 'lead', mimeType: 'application/json' },
  ]);
  expect((await client.readResource({ uri: 'lead://42' })).contents).toEqual([
    { uri: 'lead://42', mimeType: 'application/json', text: '{"id":"42"}' },
  ]);

  // Prompts.
  expect((await client.listPrompts()).prompts).toEqual([
    {
      name: 'summarize',
      description: 'Summarize a lead',
      arguments: [
        { name: 'leadId', required: true },
        { name: 'tone', required: true },
      ],
    },
  ]);
  const prompt = await client.getPrompt({ name: 'summarize', arguments: { leadId: '9', tone: 'detailed' } });
  expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Summarize lead 9, detailed.' } }]);

  // Completion: the prompt's enum argument and the template's variable.
  const completion = await client.complete({
    ref: { type: 'ref/prompt', name: 'summarize' },
    argument: { name: 'tone', value: 'b' },
  });
  expect(completion.completion.values).toEqual(['brief']);
  const templated = await client.complete({
    ref: { type: 'ref/resource', uri: 'lead://{id}' },
    argument: { name: 'id', value: '4' },
  });
  expect(templated.completion.values).toEqual(['42', '420']);

  // Logging: nothing below the level the client set; what passes arrives before the result it precedes.
  const logs: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logs.push(`${n.params.level}:${String(n.params.data)}`);
  });
  await client.setLoggingLevel('warning');
  await client.callTool({ name: 'count_to', arguments: { n: 1 } });
  await client.setLoggingLevel('info');
  await client.callTool({ name: 'count_to', arguments: { n: 2 } });
  await expect.poll(() => logs).toEqual(['info:counted to 2']);

  // Subscription: edit_memo changes the resource and the server notifies subscribers.
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updates.push(n.params.uri);
  });
  await client.subscribeResource({ uri: 'memo://readme' });
  // Over HTTP the update travels on the session's GET stream, which the v1 client opens by itself after
  // initialization: edit until an update arrives. Over stdio the first edit is enough.
  await expect
    .poll(
      async () => {
        expect(textOf(await client.callTool({ name: 'edit_memo', arguments: { text: 'Edited.' } }))).toBe('saved');
        return updates.length;
      },
      { timeout: 5_000 },
    )
    .toBeGreaterThan(0);
  expect(new Set(updates)).toEqual(new Set(['memo://readme']));
  expect((await client.readResource({ uri: 'memo://readme' })).contents).toEqual([
    { uri: 'memo://readme', mimeType: 'text/plain', text: 'Edited.' },
  ]);
  await client.unsubscribeResource({ uri: 'memo://readme' });
}

describe('official SDK v1 client (2025-11-25)', () => {
  it('over Streamable HTTP, ending with session termination', async () => {
    const client = newClient();
    const transport = new StreamableHTTPClientTransport(new URL(http.url));
    try {
      await client.connect(transport);
      const session = transport.sessionId;
      expect(session).toMatch(/^[0-9a-f-]{36}$/);
      await exercise(client);

      await transport.terminateSession();
      expect(transport.sessionId).toBeUndefined();
      // DELETE ended the session on the server too: its id is now unknown.
      const after = await post(
        http.url,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
        legacyHeaders(session as string),
      );
      expect(after.status).toBe(404);
      await after.body?.cancel();
    } finally {
      await client.close();
    }
  });

  it('over stdio', async () => {
    const client = newClient();
    const transport = new StdioClientTransport(stdioServer);
    try {
      await client.connect(transport);
      await exercise(client);
    } finally {
      await closeStdio(() => client.close(), transport.pid);
    }
  });
});
