import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { finishSignIn, launchChromium } from '../../test/support/browser-sign-in.js';
import { freePort, startHttp, stop } from './test-server.js';

// The README's first client: the MCP Inspector's CLI, doing its own OAuth (discovery from the 401, registration,
// PKCE, a loopback callback) against `npm start`'s server. The test plays the person at the browser.
const INSPECTOR = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/inspector/clients/launcher/build/index.js',
);

let browser: Browser;
let dataDir: string;
beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), 'leads-inspector-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('the MCP Inspector signs in through the built-in authorization server and calls search_leads', async () => {
  const server = await startHttp({
    LEADS_SEED_LEADS: '120',
    LEADS_DATA_DIR: dataDir,
    DATABASE_URL: '',
    SWITCHBOARD_LOG_LEVEL: 'silent',
  });
  const password = /as "demo" with password (\S+)/.exec(server.output())?.[1];
  expect(password).toBeTypeOf('string');
  const home = join(dataDir, 'home');
  const inspector = spawn(
    process.execPath,
    [
      INSPECTOR,
      '--cli',
      server.url,
      '--method',
      'tools/call',
      '--tool-name',
      'search_leads',
      '--tool-arg',
      'sort=newest',
    ],
    {
      env: {
        ...process.env,
        HOME: home,
        MCP_AUTO_OPEN_ENABLED: 'true', // sign in without a TTY; the URL is printed, the test opens it
        MCP_INSPECTOR_SECRET_STORE: 'memory',
        MCP_OAUTH_CALLBACK_URL: `http://127.0.0.1:${await freePort()}/oauth/callback`,
        BROWSER: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  inspector.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => inspector.once('exit', resolve));
  const context = await browser.newContext();
  try {
    const signInUrl = await new Promise<string>((resolve, reject) => {
      inspector.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /navigate to: (http:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`the Inspector exited (${code}) first:\n${stderr}`)));
    });
    // It found the authorization server from the 401 and asks for the resource's scopes, with PKCE S256.
    const asked = new URL(signInUrl);
    expect(asked.origin).toBe(new URL(server.url).origin);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('resource')).toBe(server.url);
    expect(asked.searchParams.get('scope')).toContain('leads:read');
    await finishSignIn(
      context,
      signInUrl,
      { username: 'demo', password: password as string },
      {
        landing: /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/,
        onConsent: async (page) => {
          expect(await page.textContent('body')).toContain('MCP Inspector'); // the consent page names the client
        },
      },
    );
    expect(await exited).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.isError).not.toBe(true);
    expect(result.structuredContent.rows.length).toBe(20);
    expect(result.structuredContent.truncated).toBe(true);
  } finally {
    inspector.kill();
    await context.close();
    await stop(server.child);
  }
}, 240_000);
