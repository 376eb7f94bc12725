import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishSignIn, launchChromium, startCallbackListener } from '../../test/support/browser-sign-in.js';
import { BrowserOAuthProvider } from '../../test/support/oauth-client-provider.js';
import { sqlEngines } from '../../test/support/services.js';
import { NODE_ARGS, startHttp, stop } from './test-server.js';

const CONNECT = fileURLToPath(new URL('./scripts/connect.ts', import.meta.url));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe.each(sqlEngines())('the leads server entry on $name', ({ name, url }) => {
  let dataDir: string;
  let pg: TestDatabase | undefined;
  let env: Record<string, string>;
  /** Printed once, on the first run (the first test); later starts reuse the user. */
  let demoPassword: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leads-server-'));
    if (url !== undefined) pg = await createTestDatabase({ url });
    env = {
      LEADS_SEED_LEADS: '150',
      LEADS_DATA_DIR: dataDir,
      SWITCHBOARD_LOG_LEVEL: 'silent',
      ...(pg?.url ? { DATABASE_URL: pg.url } : { DATABASE_URL: '' }),
    };
  }, 60_000);
  afterAll(async () => {
    await pg?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates and seeds on first run, then serves Streamable HTTP behind the built-in authorization server', async () => {
    const server = await startHttp(env);
    const context = await browser.newContext();
    const listener = await startCallbackListener();
    try {
      expect(server.output()).toMatch(/First run: seeding 150 synthetic leads into (PGlite|PostgreSQL)/);
      expect(server.output()).toMatch(/Seeding 100% 150\/150 leads/);
      expect(server.output()).toContain(`(${name})`);
      const password = /as "demo" with password (\S+)/.exec(server.output())?.[1];
      expect(password).toBeTypeOf('string');
      demoPassword = password as string;
      // Without a token: 401 and where to find the authorization server (RFC 9728 §5.1).
      const anonymous = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(
        /resource_metadata=".*\/\.well-known\/oauth-protected-resource\/mcp"/,
      );
      // The official client discovers the server, registers, and the demo user signs in and consents in Chromium.
      const provider = new BrowserOAuthProvider({
        context,
        user: { username: 'demo', password: password as string },
        listener,
      });
      const transport = () =>
        new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider as never });
      const client = new Client({ name: 'ops-agent', version: '1.0.0' });
      let live = transport();
      await client.connect(live).catch(async (error: unknown) => {
        if (!(error instanceof UnauthorizedError)) throw error;
        const callback = await provider.callback();
        if (callback.searchParams.get('code') === null) throw new Error(`sign-in failed: ${callback.search}`);
        await live.finishAuth(callback.searchParams.get('code') as string);
        live = transport();
        await client.connect(live);
      });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'get_lead_by_phone',
        'search_leads',
        'unified_pipeline_summary',
      ]);
      const found = await client.callTool({ name: 'search_leads', arguments: { sort: 'newest' } });
      const rows = (found.structuredContent as { rows: { id: number; phone: string }[] }).rows;
      expect(rows).toHaveLength(20);
      const lookup = await client.callTool({ name: 'get_lead_by_phone', arguments: { phone: rows[0]!.phone } });
      expect(
        JSON.parse((lookup.content as { text: string }[])[0]!.text).leads.map((lead: { id: number }) => lead.id),
      ).toContain(rows[0]!.id);
      const resource = await client.readResource({ uri: `leads://lead/${rows[0]!.id}` });
      expect(JSON.parse((resource.contents[0] as { text: string }).text).id).toBe(rows[0]!.id);
      await client.close();
    } finally {
      await listener.close();
      await context.close();
      await stop(server.child);
    }
  }, 180_000);

  it("README's connect script: the official client signs in through the printed URL, lists tools and searches", async () => {
    const server = await startHttp(env);
    const context = await browser.newContext();
    const script = spawn(process.execPath, [...NODE_ARGS.slice(0, -1), CONNECT, server.url], {
      env: { ...process.env, PATH: '/nonexistent' }, // no xdg-open: the test is the browser
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    script.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => script.once('exit', resolve));
    try {
      expect(server.output()).not.toContain('First run');
      const signInUrl = await new Promise<string>((resolve, reject) => {
        script.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /^\s+(http:\/\/\S+)$/m.exec(stderr);
          if (match) resolve(match[1]!);
        });
        void exited.then((code) => reject(new Error(`connect exited (${code}) before printing a URL:\n${stderr}`)));
      });
      expect(new URL(signInUrl).searchParams.get('code_challenge_method')).toBe('S256');
      const landed = await finishSignIn(context, signInUrl, { username: 'demo', password: demoPassword });
      expect(landed.searchParams.get('code')).not.toBeNull();
      expect(await exited).toBe(0);
      expect(stdout).toContain('Tools: ');
      expect(stdout).toContain('search_leads');
      expect(JSON.parse(stdout.slice(stdout.indexOf('{'))).rows.length).toBeGreaterThan(0);
    } finally {
      script.kill();
      await context.close();
      await stop(server.child);
    }
  }, 180_000);

  it('reuses the seeded data on the next start, and serves stdio with the protocol alone on stdout', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...NODE_ARGS, '--stdio'],
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({ name: 'ops-agent', version: '1.0.0' });
    await client.connect(transport);
    try {
      const summary = await client.callTool({
        name: 'unified_pipeline_summary',
        arguments: { group_by: 'stage', from_month: '2025-01' },
      });
      const body = JSON.parse((summary.content as { text: string }[])[0]!.text);
      expect(body.rows.find((row: { stage: string }) => row.stage === 'new').entered).toBe(150);
      expect(body.freshness.maintained_by).toMatch(/triggers/);
      expect(stderr).not.toMatch(/First run/);
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe('the leads server entry with its database down', () => {
  it('says it cannot reach PostgreSQL and exits 1, without a stack trace', async () => {
    const child = spawn(process.execPath, NODE_ARGS, {
      env: { ...process.env, DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:9/leads', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /The leads server cannot start: Cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/leads/,
    );
    expect(stderr).not.toContain('secret');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
