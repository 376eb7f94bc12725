import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { McpSubscription } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Browser } from 'playwright-core';
import { Switchboard } from 'switchboard-mcp';
import { authServerRoutes, builtInAuthServer } from 'switchboard-mcp/auth';
import type { AuthorizationServer } from 'switchboard-mcp/auth/server';
import { addUser, createAuthorizationServer } from 'switchboard-mcp/auth/server';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { finishSignIn, launchChromium } from '../support/browser-sign-in.js';
import { assertBuilt, BIN, cliEnv } from './cli-process.js';

/**
 * `switchboard proxy <url>` between the official SDK v2 client over stdio and a remote server protected by the
 * built-in authorization server: the proxy signs in (the user in headless Chromium, from the URL it prints on
 * stderr), and relays both eras, with progress, an elicitation and resource updates passed through.
 */
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const PASSWORD = 'proxy-pass-proxy-pass';
let db: TestDatabase;
let browser: Browser;
let as: AuthorizationServer;
let handle: HttpServerHandle;
const config = mkdtempSync(join(tmpdir(), 'sb-cli-proxy-'));

function remoteServer(): Switchboard {
  const server = new Switchboard({ name: 'remote', version: '2.0.0', stateSecret: 'proxy-secret-proxy-secret-proxy!' });
  server.tool('whoami', { description: 'Who is calling' }, (_args, ctx) => String(ctx.auth.subject));
  server.tool('greet', { description: 'Asks for a name' }, async (_args, ctx) => {
    const answer = await ctx.elicit('What is your name?', { name: z.string() });
    return answer.action === 'accept' ? `Hello, ${answer.content.name}!` : `No name (${answer.action})`;
  });
  // Each step waits for the client to call next_step after it saw the progress: the SDK client handles a
  // response that arrives in the same read as notifications before them, so unpaced progress could be dropped.
  let nextStep: (() => void) | undefined;
  server.tool('count', { input: { n: z.number() } }, async ({ n }, ctx) => {
    for (let i = 1; i <= n; i++) {
      const stepped = new Promise<void>((resolve) => {
        nextStep = resolve;
      });
      ctx.progress(i, n, `step ${i}`);
      await stepped;
    }
    return `counted to ${n}`;
  });
  server.tool('next_step', {}, () => {
    nextStep?.();
    return 'stepped';
  });
  let memo = 'first';
  server.resource('memo://note', { name: 'note', mimeType: 'text/plain' }, () => memo);
  server.tool('edit_note', { input: { text: z.string() } }, ({ text }) => {
    memo = text;
    server.notifyResourceUpdated('memo://note');
    return 'saved';
  });
  return server;
}

beforeAll(async () => {
  assertBuilt();
  db = await createTestDatabase();
  browser = await launchChromium();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const origin = `http://127.0.0.1:${port}`;
  as = await createAuthorizationServer({
    issuer: origin,
    resources: [{ uri: `${origin}/mcp`, scopes: ['notes'] }],
    database: db,
    firstRun: false,
  });
  await addUser(db, { username: 'carol', password: PASSWORD }, { replace: true });
  handle = await remoteServer().listen({
    port,
    auth: builtInAuthServer(as, { scopesSupported: ['notes'] }),
    routes: authServerRoutes(as),
  });
});
afterAll(async () => {
  await handle?.close();
  await as?.close();
  await browser?.close();
  await db?.dispose();
});

type Mode = 'legacy' | 'auto';

/** The SDK v2 client spawning `switchboard proxy`; a printed sign-in URL is completed in Chromium. */
async function connectThroughProxy(mode: Mode) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', handle.url],
    env: cliEnv({ XDG_CONFIG_HOME: config, SWITCHBOARD_OPEN_BROWSER: 'none' }) as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  const signIns: Promise<URL>[] = [];
  (transport.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const url = /If it does not open, visit:\n {2}(\S+)\n/.exec(stderr)?.[1];
    if (url !== undefined && signIns.length === 0) {
      signIns.push(
        browser.newContext().then(async (context) => {
          try {
            return await finishSignIn(context, url, { username: 'carol', password: PASSWORD });
          } finally {
            await context.close();
          }
        }),
      );
    }
  });
  const client = new Client(
    { name: 'proxy-test', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } },
  );
  const asked: string[] = [];
  client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(String((request.params as { message?: unknown }).message));
    return { action: 'accept', content: { name: 'Ada' } };
  });
  await client.connect(transport);
  return { client, transport, asked, signIns, stderr: () => stderr };
}

function textOf(result: unknown): string {
  return ((result as { content: { text?: string }[] }).content[0]?.text ?? '') as string;
}

describe.each(['legacy', 'auto'] as const)('the SDK v2 client through switchboard proxy (%s era)', (mode) => {
  it('signs in when needed and relays calls, progress, an elicitation and resource updates', async () => {
    const signedInBefore = existsSync(join(config, 'switchboard', 'tokens.json'));
    const { client, asked, signIns, stderr } = await connectThroughProxy(mode);
    try {
      // The first run finds no token and signs in; a later one reuses the token the first one kept.
      expect(signIns).toHaveLength(signedInBefore ? 0 : 1);
      if (!signedInBefore) {
        const callback = await (signIns[0] as Promise<URL>);
        expect(callback.searchParams.get('iss')).toBe(as.issuer);
        expect(stderr()).toContain(`Sign in to ${handle.url} in your browser`);
      }
      expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');
      expect(client.getServerVersion()).toMatchObject({ name: 'remote', version: '2.0.0' });

      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['whoami', 'greet', 'count', 'next_step', 'edit_note']);
      expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toMatch(/^[\w-]{10,}$/);

      const progress: number[] = [];
      const counted = await client.callTool(
        { name: 'count', arguments: { n: 3 } },
        {
          onprogress: (p) => {
            progress.push(p.progress);
            void client.callTool({ name: 'next_step', arguments: {} });
          },
        },
      );
      expect(textOf(counted)).toBe('counted to 3');
      expect(progress).toEqual([1, 2, 3]);

      // Legacy: a real elicitation/create request relayed from the call's SSE stream, answered by POST.
      // Modern: an input_required result the client fulfils and retries through the proxy.
      expect(textOf(await client.callTool({ name: 'greet', arguments: {} }))).toBe('Hello, Ada!');
      expect(asked).toEqual(['What is your name?']);

      // Resource updates: on the session's GET stream (legacy), on a subscriptions/listen stream (modern).
      const updates: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(n.params.uri));
      let subscription: McpSubscription | undefined;
      if (mode === 'auto') subscription = await client.listen({ resourceSubscriptions: ['memo://note'] });
      else await client.subscribeResource({ uri: 'memo://note' });
      // The legacy GET stream opens by itself after initialized; edit until an update arrives through it.
      await expect
        .poll(
          async () => {
            await client.callTool({ name: 'edit_note', arguments: { text: `v${updates.length}` } });
            return updates;
          },
          { timeout: 20_000, interval: 200 },
        )
        .toContain('memo://note');
      await subscription?.close();
      const read = await client.readResource({ uri: 'memo://note' });
      expect(read.contents[0]).toMatchObject({ uri: 'memo://note', text: expect.stringMatching(/^v\d+$/) });
      // SSE priming events and keep-alives are not messages: nothing was skipped or complained about.
      expect(stderr()).not.toContain('switchboard proxy:');
    } finally {
      await client.close();
    }
  });
});

describe('switchboard proxy to a server that cannot be reached', () => {
  it("answers the client's initialize with a JSON-RPC error naming the failure", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'proxy', 'http://127.0.0.1:9/mcp'],
      env: cliEnv({ XDG_CONFIG_HOME: config, SWITCHBOARD_OPEN_BROWSER: 'none' }) as Record<string, string>,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'proxy-test', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
    await expect(client.connect(transport)).rejects.toThrow(/fetch failed|ECONNREFUSED/);
    await client.close();
  });
});
