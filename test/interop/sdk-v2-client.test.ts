import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteropServer } from './fixture-server.js';
import { stdioServer, textOf } from './support.js';

let http: HttpServerHandle;

beforeAll(async () => {
  http = await serve(createInteropServer(), { port: 0 });
});
afterAll(() => http.close());

type Mode = 'legacy' | 'auto';

function newClient(mode: Mode): Client {
  const client = new Client(
    { name: 'interop-v2', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } },
  );
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Ada' } }));
  return client;
}

/** The same conversation, whatever the transport and era. */
async function exercise(client: Client, transport: 'http' | 'stdio'): Promise<void> {
  expect(client.getServerVersion()).toMatchObject({ name: 'interop-fixture', version: '1.2.3' });
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(['add', 'lookup_lead', 'count_to', 'greet']);
  expect(textOf(await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } }))).toBe('42');

  const invalid = await client.callTool({ name: 'add', arguments: { a: 'twenty' } });
  expect(invalid.isError).toBe(true);
  expect(textOf(invalid)).toContain('- a: expected number, received string "twenty"');

  const lead = await client.callTool({ name: 'lookup_lead', arguments: { id: 7 } });
  expect(lead.structuredContent).toEqual({ id: 7, stage: 'trial', plan: 'Growth' });

  const progress: number[] = [];
  const counted = await client.callTool(
    { name: 'count_to', arguments: { n: 3 } },
    { onprogress: (p) => progress.push(p.progress) },
  );
  expect(textOf(counted)).toBe('counted to 3');
  if (transport === 'http') {
    expect(progress).toEqual([1, 2, 3]);
  } else {
    // The SDK client dispatches notifications a microtask later than responses, so on a pipe the progress
    // notifications that arrive in the same read as the result are dropped client-side (how many depends on
    // scheduling). What does arrive is in order and from this request; test/stdio checks the wire itself.
    expect(progress).toEqual([1, 2, 3].slice(0, progress.length));
  }

  expect(textOf(await client.callTool({ name: 'greet', arguments: {} }))).toBe('Hello, Ada!');

  const readme = await client.readResource({ uri: 'memo://readme' });
  expect(readme.contents).toEqual([{ uri: 'memo://readme', mimeType: 'text/plain', text: 'Interop works.' }]);
  const prompt = await client.getPrompt({ name: 'summarize', arguments: { leadId: '7', tone: 'brief' } });
  expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Summarize lead 7, brief.' });
}

describe.each(['legacy', 'auto'] as const)('official SDK v2 client, versionNegotiation %s', (mode) => {
  it('over Streamable HTTP', async () => {
    const client = newClient(mode);
    const transport = new StreamableHTTPClientTransport(new URL(http.url));
    await client.connect(transport);
    try {
      // `auto` probes with server/discover and must land on the stateless era; `legacy` runs initialize.
      if (mode === 'auto') expect(client.getDiscoverResult()?.supportedVersions).toContain('2026-07-28');
      else expect(client.getDiscoverResult()).toBeUndefined();
      await exercise(client, 'http');
    } finally {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
  });

  it('over stdio', async () => {
    const client = newClient(mode);
    await client.connect(new StdioClientTransport(stdioServer));
    try {
      if (mode === 'auto') expect(client.getDiscoverResult()).toBeDefined();
      await exercise(client, 'stdio');
    } finally {
      await client.close();
    }
  });
});
