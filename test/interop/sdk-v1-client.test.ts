import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteropServer } from './fixture-server.js';
import { stdioServer, textOf } from './support.js';

let server: Switchboard;
let http: HttpServerHandle;

beforeAll(async () => {
  server = createInteropServer();
  http = await serve(server, { port: 0 });
});
afterAll(() => http.close());

/** What both transports must get right with the v1 client. */
async function exercise(client: Client): Promise<void> {
  expect(client.getInstructions()).toBe('Use add for sums.');
  expect(textOf(await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toBe('3');
  // v1 validates structuredContent against the listed outputSchema with Ajv: this checks our JSON Schema too.
  await client.listTools();
  const lead = await client.callTool({ name: 'lookup_lead', arguments: { id: 42 } });
  expect(lead.structuredContent).toEqual({ id: 42, stage: 'trial', plan: 'Growth' });
  const rejected = await client.callTool({ name: 'lookup_lead', arguments: { id: -1 } });
  expect(rejected.isError).toBe(true);
  expect(textOf(rejected)).toMatch(/- id: expected number > 0, received number -1/);

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
  const templates = await client.listResourceTemplates();
  expect(templates.resourceTemplates[0]).toMatchObject({ uriTemplate: 'lead://{id}', name: 'lead' });
  expect((await client.readResource({ uri: 'lead://42' })).contents[0]).toMatchObject({ text: '{"id":"42"}' });

  const logs: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logs.push(`${n.params.level}:${String(n.params.data)}`);
  });
  await client.setLoggingLevel('warning');
  await client.callTool({ name: 'count_to', arguments: { n: 1 } });
  await client.setLoggingLevel('info');
  await client.callTool({ name: 'count_to', arguments: { n: 2 } });
  await expect.poll(() => logs).toEqual(['info:counted to 2']);
}

describe('official SDK v1 client (2025-11-25)', () => {
  it('over Streamable HTTP, including subscriptions and session termination', async () => {
    const client = new Client({ name: 'interop-v1', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(http.url));
    await client.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await exercise(client);

    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
    });
    await client.subscribeResource({ uri: 'memo://readme' });
    // The update travels on the session's GET stream, which the v1 client opens after initialization.
    await expect
      .poll(
        () => {
          server.notifyResourceUpdated('memo://readme');
          return updates.length > 0;
        },
        { interval: 50 },
      )
      .toBe(true);
    expect(updates[0]).toBe('memo://readme');

    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    await client.close();
  });

  it('over stdio', async () => {
    const client = new Client({ name: 'interop-v1', version: '1.0.0' });
    await client.connect(new StdioClientTransport(stdioServer));
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
  });
});
