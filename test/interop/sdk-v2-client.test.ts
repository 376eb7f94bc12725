import type { McpSubscription } from '@modelcontextprotocol/client';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { describe, expect, it } from 'vitest';
import { legacyHeaders, post } from '../support/http.js';
import { createInteropServer, TOOL_NAMES } from './fixture-server.js';
import { closeStdio, stdioServer, textOf } from './support.js';

type Mode = 'legacy' | 'auto';

const NAME_FORM = {
  type: 'object',
  properties: { name: { type: 'string' } },
  required: ['name'],
};

/** A v2 client that answers elicitations with `state.answer` and records how each one reached it. */
function newClient(mode: Mode) {
  const client = new Client(
    { name: 'interop-v2', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } },
  );
  const asked: { id: unknown; message: unknown; requestedSchema: unknown }[] = [];
  const state = {
    answer: { action: 'accept', content: { name: 'Ada' } } as {
      action: 'accept' | 'decline';
      content?: { name: string };
    },
  };
  client.setRequestHandler('elicitation/create', async (request, ctx) => {
    const params = request.params as { message?: unknown; requestedSchema?: unknown };
    asked.push({ id: ctx.mcpReq.id, message: params.message, requestedSchema: params.requestedSchema });
    return state.answer;
  });
  return { client, asked, state };
}

/** The same conversation, whatever the transport and era. */
async function exercise({ client, asked, state }: ReturnType<typeof newClient>, mode: Mode): Promise<void> {
  // `auto` probes with server/discover and must land on the stateless era; `legacy` runs initialize.
  expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');
  expect(client.getNegotiatedProtocolVersion()).toBe(mode === 'auto' ? '2026-07-28' : '2025-11-25');
  expect(client.getServerVersion()).toMatchObject({ name: 'interop-fixture', version: '1.2.3' });

  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
  expect(tools.find((t) => t.name === 'add')?.inputSchema).toMatchObject({
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  });
  expect(textOf(await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } }))).toBe('42');

  // Bad arguments are a tool error the model can read, naming each field, not a protocol error.
  const invalid = await client.callTool({ name: 'add', arguments: { a: 'twenty' } });
  expect(invalid.isError).toBe(true);
  expect(textOf(invalid)).toContain('- a: expected number, received string "twenty"');
  expect(textOf(invalid)).toContain('- b: expected number, received nothing (the field is missing)');

  // The v2 client validates structuredContent against the listed outputSchema.
  const lead = await client.callTool({ name: 'lookup_lead', arguments: { id: 7 } });
  expect(lead.structuredContent).toEqual({ id: 7, stage: 'trial', plan: 'Growth' });

  // Every progress notification arrives while the call is open: the next step waits for the client to see it.
  const progress: { progress: number; total?: number; message?: string }[] = [];
  const paced = await client.callTool(
    { name: 'paced_count', arguments: { n: 3 } },
    {
      timeout: 10_000,
      onprogress: (p) => {
        progress.push(p);
        void client.callTool({ name: 'next_step', arguments: {} });
      },
    },
  );
  expect(textOf(paced)).toBe('paced to 3');
  expect(progress).toEqual([
    { progress: 1, total: 3, message: 'step 1' },
    { progress: 2, total: 3, message: 'step 2' },
    { progress: 3, total: 3, message: 'step 3' },
  ]);

  // Legacy: a real elicitation/create request from the server. Modern: an input_required result (MRTR) that the
  // client fulfils through the same handler and retries; the handler then sees the inputRequests key as its id.
  expect(textOf(await client.callTool({ name: 'greet', arguments: {} }))).toBe('Hello, Ada!');
  expect(asked).toHaveLength(1);
  expect(asked[0]).toMatchObject({ message: 'What is your name?', requestedSchema: NAME_FORM });
  if (mode === 'auto') expect(asked[0]?.id).toBe('elicit-1');
  else expect(asked[0]?.id).not.toBe('elicit-1');
  state.answer = { action: 'decline' };
  expect(textOf(await client.callTool({ name: 'greet', arguments: {} }))).toBe('No name (decline)');
  expect(asked).toHaveLength(2);

  // Client logging: 2025-11-25 sets a session level with logging/setLevel; 2026-07-28 sends one with each request.
  const logs: string[] = [];
  client.setNotificationHandler('notifications/message', (n) => {
    logs.push(`${n.params.level}:${String(n.params.data)}`);
  });
  const countLogged = async (level: 'info' | 'warning', n: number) => {
    if (mode === 'legacy') await client.setLoggingLevel(level);
    const meta = mode === 'auto' ? { 'io.modelcontextprotocol/logLevel': level } : {};
    await client.callTool({ name: 'count_to', arguments: { n }, _meta: meta });
  };
  await countLogged('warning', 1);
  await countLogged('info', 2);
  await expect.poll(() => logs).toEqual(['info:counted to 2']);

  const readme = await client.readResource({ uri: 'memo://readme' });
  expect(readme.contents).toEqual([{ uri: 'memo://readme', mimeType: 'text/plain', text: 'Interop works.' }]);
  const templated = await client.readResource({ uri: 'lead://42' });
  expect(templated.contents).toEqual([{ uri: 'lead://42', mimeType: 'application/json', text: '{"id":"42"}' }]);
  const prompt = await client.getPrompt({ name: 'summarize', arguments: { leadId: '7', tone: 'brief' } });
  expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Summarize lead 7, brief.' } }]);
  const completion = await client.complete({
    ref: { type: 'ref/prompt', name: 'summarize' },
    argument: { name: 'tone', value: 'd' },
  });
  expect(completion.completion.values).toEqual(['detailed']);
}

/**
 * Resource updates reach the same notification handler in both eras: after resources/subscribe on a 2025-11-25
 * connection, on a subscriptions/listen stream on 2026-07-28.
 */
async function resourceUpdates(client: Client, mode: Mode): Promise<void> {
  const updates: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => {
    updates.push(n.params.uri);
  });
  let subscription: McpSubscription | undefined;
  if (mode === 'auto') {
    subscription = await client.listen({ resourceSubscriptions: ['memo://readme'] });
    expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: ['memo://readme'] });
  } else {
    await client.subscribeResource({ uri: 'memo://readme' });
  }
  try {
    // Over legacy HTTP the update travels on the session's GET stream, which the client opens by itself after
    // initialization: edit until an update arrives. Everywhere else the first edit is enough.
    await expect
      .poll(
        async () => {
          expect(textOf(await client.callTool({ name: 'edit_memo', arguments: { text: 'Edited.' } }))).toBe('saved');
          return updates.length;
        },
        { timeout: 5_000 },
      )
      .toBeGreaterThan(0);
  } finally {
    await subscription?.close();
  }
  expect(new Set(updates)).toEqual(new Set(['memo://readme']));
  const edited = await client.readResource({ uri: 'memo://readme' });
  expect(edited.contents).toEqual([{ uri: 'memo://readme', mimeType: 'text/plain', text: 'Edited.' }]);
}

/** 2026-07-28 only: the input_required round by hand, then the retry with inputResponses and requestState. */
async function manualRoundTrip(client: Client): Promise<void> {
  const round = (await client.callTool({ name: 'greet', arguments: {} }, { allowInputRequired: true })) as {
    resultType?: string;
    inputRequests?: Record<string, unknown>;
    requestState?: string;
  };
  expect(round).toMatchObject({
    resultType: 'input_required',
    inputRequests: {
      'elicit-1': {
        method: 'elicitation/create',
        params: { mode: 'form', message: 'What is your name?', requestedSchema: NAME_FORM },
      },
    },
    requestState: expect.any(String),
  });
  // callTool's params type predates MRTR; the client sends the retry fields as they are.
  const retry = {
    name: 'greet',
    arguments: {},
    inputResponses: { 'elicit-1': { action: 'accept', content: { name: 'Grace' } } },
    requestState: round.requestState,
  };
  const done = await client.callTool(retry as Parameters<Client['callTool']>[0]);
  expect(textOf(done)).toBe('Hello, Grace!');
}

describe.each(['legacy', 'auto'] as const)('official SDK v2 client, versionNegotiation %s', (mode) => {
  it('over Streamable HTTP', async () => {
    const http: HttpServerHandle = await serve(createInteropServer(), { port: 0 });
    const fixture = newClient(mode);
    const transport = new StreamableHTTPClientTransport(new URL(http.url));
    try {
      await fixture.client.connect(transport);
      await exercise(fixture, mode);
      await resourceUpdates(fixture.client, mode);
      if (mode === 'auto') {
        // The stateless era has no session.
        expect(transport.sessionId).toBeUndefined();
        await manualRoundTrip(fixture.client);
      } else {
        const session = transport.sessionId;
        expect(session).toMatch(/^[0-9a-f-]{36}$/);
        await transport.terminateSession();
        expect(transport.sessionId).toBeUndefined();
        // The server has forgotten the session, not just the client.
        const after = await post(
          http.url,
          JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
          legacyHeaders(session as string),
        );
        expect(after.status).toBe(404);
        await after.body?.cancel();
      }
    } finally {
      await fixture.client.close();
      await http.close();
    }
  });

  it('over stdio', async () => {
    const fixture = newClient(mode);
    const transport = new StdioClientTransport(stdioServer);
    try {
      await fixture.client.connect(transport);
      await exercise(fixture, mode);
      await resourceUpdates(fixture.client, mode);
      if (mode === 'auto') await manualRoundTrip(fixture.client);
    } finally {
      await closeStdio(() => fixture.client.close(), transport.pid);
    }
  });
});
