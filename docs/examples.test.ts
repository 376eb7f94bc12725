import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Switchboard } from 'switchboard-mcp';
import { openDatabase } from 'switchboard-mcp/sql';
import { captureLogs, TestClient } from 'switchboard-mcp/testing';
import { describe, expect, it } from 'vitest';
import { startTokenIssuer } from '../test/support/token-issuer.js';
import { auth0Options, createCrm, mountInNodeHttp, protect, serveStdio } from './examples/auth-resource-server.js';
import cliEntry from './examples/cli-entry.js';
import { createServer as createContextServer } from './examples/context.js';
import { createServer as createGettingStarted } from './examples/getting-started.js';
import { createServer as createMiddlewareServer } from './examples/middleware.js';
import { createServer as createResourcesServer } from './examples/resources-and-prompts.js';
import { createServer as createSqlServer, SCHEMA } from './examples/sql.js';
import { serveToolsFile } from './examples/sql-tools-file.js';
import { createServer as createTasksServer } from './examples/tasks.js';
import { exampleTest, maskedErrorIsLogged, progressAndCancellation } from './examples/testing.js';
import { createServer as createToolsServer } from './examples/tools.js';
import { fetchHandler, mountOnNodeHttp, startStandalone } from './examples/transports.js';

const docs = fileURLToPath(new URL('.', import.meta.url));
/** Each SQL example starts an embedded PGlite, which takes seconds on a busy machine. */
const SQL_TIMEOUT = { timeout: 60_000 };
const root = join(docs, '..');

function text(result: { content: unknown[] }): string {
  const [block] = result.content as { text?: string }[];
  return block?.text ?? '';
}

const modernCall = (name: string, args: Record<string, unknown>) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name,
      arguments: args,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
const modernHeaders = (name: string) => ({
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': name,
});

describe('documentation code blocks', () => {
  const pages = readdirSync(docs).filter((f) => f.endsWith('.md'));
  const blocks = pages.flatMap((page) =>
    [...readFileSync(join(docs, page), 'utf8').matchAll(/```\w+ file=(\S+)\n([\s\S]*?)```/g)].map((m) => ({
      page,
      file: m[1] ?? '',
      body: m[2] ?? '',
    })),
  );

  it('every example file is shown somewhere', () => {
    const shown = new Set(blocks.map((b) => b.file));
    for (const file of readdirSync(join(docs, 'examples'))) expect(shown).toContain(`docs/examples/${file}`);
  });

  it.each(blocks.map((b) => [b.page, b.file, b.body] as const))('%s shows %s exactly as it is', (_page, file, body) => {
    expect(body).toBe(readFileSync(join(root, file), 'utf8'));
  });
});

describe('documentation examples run', () => {
  it('middleware: per-caller tool lists, refused calls, timings and an audit log', async () => {
    const logs = captureLogs();
    const audit: Record<string, unknown>[] = [];
    const server = createMiddlewareServer(logs.logger, (line) => audit.push(line));
    const reader = new TestClient(server, { auth: { subject: 'ops', scopes: ['leads:read'], claims: {} } });
    const admin = new TestClient(server, { era: 'legacy', auth: { subject: 'root', scopes: ['leads'], claims: {} } });
    expect((await reader.listTools()).tools.map((t) => t.name)).toEqual(['search_leads']);
    expect((await admin.listTools()).tools.map((t) => t.name)).toEqual(['search_leads', 'delete_lead']);
    expect(text(await reader.callTool('search_leads', { q: 'dental' }))).toBe('3 leads match "dental"');
    const refused = await reader.callTool('delete_lead', { id: 7 });
    expect(refused).toMatchObject({ isError: true });
    expect(text(refused)).toBe('"delete_lead" needs the scope leads:admin; ask an admin.');
    expect(text(await admin.callTool('delete_lead', { id: 7 }))).toBe('Lead 7 deleted');
    expect(audit).toEqual([
      { who: 'ops', tool: 'search_leads', arguments: { q: 'dental' }, ok: true },
      { who: 'root', tool: 'delete_lead', arguments: { id: 7 }, ok: true },
    ]);
    const timed = logs.lines.filter((line) => line.msg === 'timed');
    expect(timed.map((line) => line.tool)).toContain('delete_lead');
    expect(timed.every((line) => typeof line.ms === 'number')).toBe(true);
  });

  it('getting started: validates the phone format for the model', async () => {
    const client = new TestClient(createGettingStarted());
    expect(text(await client.callTool('get_lead_by_phone', { phone: '+14155550100' }))).toContain('stage=trial');
    const bad = await client.callTool('get_lead_by_phone', { phone: '555' });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('- phone:');
  });

  it('cli: the entry file hands its server over as the default export', async () => {
    expect(text(await new TestClient(cliEntry).callTool('forecast', { city: 'Lisbon' }))).toBe(
      'Sunny in Lisbon, 21 °C',
    );
  });

  it('tools: structured output, ToolError, content arrays, toolResult, jsonSchema and masking', async () => {
    const client = new TestClient(createToolsServer());
    expect((await client.callTool('get_lead', { id: 42 })).structuredContent).toEqual({
      id: 42,
      stage: 'trial',
      plan: 'Growth',
    });
    expect(await client.callTool('get_lead', { id: 7 })).toMatchObject({
      isError: true,
      content: [{ text: 'No lead 7. Call search_leads to find valid ids.' }],
    });
    expect((await client.callTool('chart')).content.map((c) => c.type)).toEqual(['text', 'image']);
    expect(await client.callTool('quota')).toMatchObject({ isError: true });
    expect(text(await client.callTool('tag_lead', { id: 1, tags: ['vip'] }))).toBe('Lead 1 tagged vip');
    const untagged = await client.callTool('tag_lead', { id: 1, tags: [] });
    expect(untagged.isError).toBe(true);
    expect(text(untagged)).toContain('- tags:');
    const masked = await client.callTool('flaky');
    expect(text(masked)).not.toContain('10.0.0.5');
    expect(masked._meta).toHaveProperty(['dev.switchboard/correlationId']);
  });

  it('resources and prompts: templates, completion, prompt arguments', async () => {
    const client = new TestClient(createResourcesServer());
    expect((await client.request('resources/list')).resources).toEqual([
      { uri: 'crm://schema', name: 'schema', description: 'Table overview', mimeType: 'text/plain' },
      { uri: 'crm://leads/42', name: 'Lead 42' },
    ]);
    expect((await client.readResource('crm://leads/43')).contents[0]).toMatchObject({
      text: '{"id":43,"stage":"trial"}',
    });
    await expect(client.readResource('crm://leads/abc')).rejects.toMatchObject({
      rpcCode: -32602,
      message: 'No lead with id "abc"',
    });
    const ids = await client.request('completion/complete', {
      ref: { type: 'ref/resource', uri: 'crm://leads/{id}' },
      argument: { name: 'id', value: '4' },
    });
    expect(ids.completion).toMatchObject({ values: ['42', '43', '420'] });
    const tones = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'follow_up' },
      argument: { name: 'tone', value: 'f' },
    });
    expect(tones.completion).toMatchObject({ values: ['friendly', 'formal'] });
    expect(await client.getPrompt('follow_up', { leadId: '42', tone: 'formal' })).toMatchObject({
      messages: [{ content: { text: 'Write a formal follow-up for lead 42.' } }],
    });
  });

  it.each(['modern', 'legacy'] as const)(
    'context: progress, logging, elicitation and sampling (%s era)',
    async (era) => {
      const client = new TestClient(createContextServer(), {
        era,
        logLevel: 'info',
        elicit: async () => ({ action: 'accept', content: { confirm: 5 } }),
        sample: async () => ({ role: 'assistant', content: { type: 'text', text: 'short' }, model: 'm' }),
      });
      await client.request('tools/call', {
        name: 'export_leads',
        arguments: { batches: 2 },
        _meta: { progressToken: 't' },
      });
      expect(client.notifications.map((n) => n.method)).toEqual([
        'notifications/progress',
        'notifications/progress',
        'notifications/message',
      ]);
      expect(text(await client.callTool('delete_lead', { id: 5 }))).toBe('Lead 5 deleted.');
      expect(text(await client.callTool('delete_lead', { id: 6 }))).toBe('Lead 6 kept.');
      expect(text(await client.callTool('summarize', { notes: 'a b c' }))).toBe('short');
    },
  );

  it('transports: standalone listener, node:http mount and fetch handler serve the same endpoint', async () => {
    const standalone = await startStandalone();
    try {
      const response = await fetch(standalone.url, {
        method: 'POST',
        headers: modernHeaders('ping_db'),
        body: modernCall('ping_db', {}),
      });
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('ok');
      const foreign = await fetch(standalone.url, {
        method: 'POST',
        headers: { ...modernHeaders('ping_db'), origin: 'https://evil.example' },
        body: modernCall('ping_db', {}),
      });
      expect(foreign.status).toBe(403);
    } finally {
      await standalone.close();
    }

    const mounted = mountOnNodeHttp();
    await new Promise<void>((resolve) => mounted.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(mounted.address() as AddressInfo).port}/mcp`;
      const response = await fetch(url, {
        method: 'POST',
        headers: modernHeaders('ping_db'),
        body: modernCall('ping_db', {}),
      });
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('ok');
    } finally {
      await new Promise((resolve) => mounted.close(resolve));
    }

    const handle = fetchHandler();
    const response = await handle(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: modernHeaders('ping_db'),
        body: modernCall('ping_db', {}),
      }),
    );
    expect(JSON.parse(await response.text()).result.content[0].text).toBe('ok');
    expect(createNodeServer).toBeTypeOf('function');
  });

  it('tasks: a handle at once, the result on tasks/get; synchronous for clients without the extension', async () => {
    let finish: (file: string) => void = () => {};
    const server = createTasksServer(() => new Promise((resolve) => (finish = resolve)));
    const tasks = new TestClient(server, { capabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } });
    const created = (await tasks.callTool('export_pipeline', { rows: 10 })) as Record<string, unknown>;
    expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 600_000, pollIntervalMs: 2000 });
    finish('pipeline.csv');
    await expect
      .poll(async () => (await tasks.request('tasks/get', { taskId: created.taskId })).result)
      .toMatchObject({ content: [{ text: 'Exported to pipeline.csv' }] });
    const plain = new TestClient(createTasksServer(async () => 'now.csv'));
    expect(text(await plain.callTool('export_pipeline', { rows: 1 }))).toBe('Exported to now.csv');
    await expect(plain.callTool('purge_leads')).rejects.toMatchObject({ rpcCode: -32021 });
  });

  it('testing: the TestClient answers elicitation in memory', async () => {
    expect(await exampleTest()).toEqual({ greeting: 'Hi Ada (Ace)', lookedUpName: 'Nickname?' });
  });

  it('testing: a masked error is found in the captured logs under the id the model saw', async () => {
    const { modelSaw, logged, sameId } = await maskedErrorIsLogged();
    expect(modelSaw).toMatch(/^Tool "flaky" failed with an internal error \(correlation id /);
    expect(logged).toBe('connection refused');
    expect(sameId).toBe(true);
  });

  it('testing: progress arrives in order and a cancelled export stops after its first batch', async () => {
    expect(await progressAndCancellation()).toEqual({
      seen: [1, 2, 3],
      outcome: 'rejected: AbortError',
      batchesRun: 1,
    });
  });

  it('auth: a protected server challenges, serves tokens for it, filters by scope; own node:http and stdio', async () => {
    const issuer = await startTokenIssuer();
    const handle = await protect(issuer.issuer);
    try {
      const call = (name: string, token?: string) =>
        fetch(handle.url, {
          method: 'POST',
          headers: { ...modernHeaders(name), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
          body: modernCall(name, { id: 1 }),
        });
      const anonymous = await call('whoami');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('resource_metadata=');
      const reader = await issuer.sign({ sub: 'ada', client_id: 'cli', aud: handle.url, scope: 'leads:read' });
      expect(JSON.parse(await (await call('get_lead', reader)).text()).result.content[0].text).toBe('Lead 1: trial');
      const refused = await call('delete_lead', reader);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toContain('scope="leads:write leads:read"');
    } finally {
      await handle.close();
    }

    const mounted = mountInNodeHttp(issuer.issuer);
    await new Promise<void>((resolve) => mounted.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(mounted.address() as AddressInfo).port}`;
      const metadata = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`);
      expect(await metadata.json()).toMatchObject({
        resource: `${origin}/mcp`,
        authorization_servers: [issuer.issuer],
      });
      const token = await issuer.sign({ sub: 'ada', client_id: 'cli', aud: `${origin}/mcp` });
      const response = await fetch(`${origin}/mcp`, {
        method: 'POST',
        headers: { ...modernHeaders('whoami'), authorization: `Bearer ${token}` },
        body: modernCall('whoami', {}),
      });
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('You are ada via cli');
    } finally {
      await new Promise((resolve) => mounted.close(resolve));
    }

    const resource = 'https://mcp.acme.com/mcp';
    process.env.MCP_ACCESS_TOKEN = await issuer.sign({ sub: 'bot', aud: resource, scope: 'leads' });
    const input = new PassThrough();
    const output = new PassThrough();
    try {
      const stdio = await serveStdio(issuer.issuer, resource, { input, output });
      const answered = new Promise<string>((resolve) => output.once('data', (chunk) => resolve(String(chunk))));
      input.write(`${modernCall('delete_lead', { id: 2 })}\n`);
      expect(JSON.parse(await answered).result.content[0].text).toBe('Lead 2 deleted');
      input.end();
      await stdio.closed;
    } finally {
      delete process.env.MCP_ACCESS_TOKEN;
      await issuer.close();
    }

    expect(auth0Options()).toMatchObject({ authorizationServers: ['https://acme.us.auth0.com/'] });
    expect(createCrm()).toBeInstanceOf(Object);
  });

  it('sql: a lookup, a sorted search in signed pages, row-level security per caller', SQL_TIMEOUT, async () => {
    const db = await openDatabase({ dataDir: 'memory' });
    try {
      await db.exec(SCHEMA);
      const server = await createSqlServer(db);
      const client = new TestClient(server);
      expect((await client.callTool('get_lead_by_phone', { phone: '+14155550007' })).structuredContent).toEqual({
        id: 7,
        name: 'Lead 7',
        stage: 'trial',
        created_at: '2025-01-08T00:00:00+00:00',
      });
      expect(text(await client.callTool('get_lead_by_phone', { phone: '+14155559999' }))).toMatch(/^No lead has/);
      const first = (await client.callTool('search_leads', { q: 'Lead' })).structuredContent as {
        rows: { id: number }[];
        nextCursor: string;
      };
      expect(first.rows.map((r) => r.id).slice(0, 3)).toEqual([45, 44, 43]);
      const second = (await client.callTool('search_leads', { q: 'Lead', cursor: first.nextCursor }))
        .structuredContent as { rows: { id: number }[] };
      expect(second.rows[0]?.id).toBe(25);
      const alice = new TestClient(server, { auth: { subject: 'alice', scopes: [], claims: {} } });
      expect((await alice.callTool('my_notes')).structuredContent).toEqual({
        rows: [{ id: 1, body: 'Call back Tuesday' }],
        truncated: false,
      });
    } finally {
      await db.close();
    }
  });

  it('sql: tools.yaml loaded, checked and served, whole or one toolset', SQL_TIMEOUT, async () => {
    const { server, file } = await serveToolsFile(join(docs, 'examples', 'tools.yaml'));
    try {
      const client = new TestClient(server);
      expect((await client.callTool('get_lead_by_phone', { phone: '+14155550003' })).structuredContent).toEqual({
        id: 3,
        name: 'Lead 3',
        stage: 'new',
      });
      const page = (await client.callTool('leads_in_stage', {})).structuredContent as { rows: { id: number }[] };
      expect(page.rows.map((r) => r.id)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
      const lookup = new Switchboard({ name: 'lookup', version: '1.0.0' });
      await file.register(lookup, { toolset: 'lookup' });
      expect((await new TestClient(lookup).listTools()).tools.map((t) => t.name)).toEqual(['get_lead_by_phone']);
    } finally {
      await file.close();
    }
  });
});
