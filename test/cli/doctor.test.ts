import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Switchboard } from 'switchboard-mcp';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OAuthStack } from '../support/oauth-stack.js';
import { startOAuthStack } from '../support/oauth-stack.js';
import { assertBuilt, cliEnv, runCli } from './cli-process.js';
import { startMisconfiguredServer } from './fixtures/misconfigured-servers.js';

/**
 * `switchboard doctor <url>` against a good open server, a server protected by the built-in authorization server,
 * and hand-written servers that each get something wrong: every check's status, the per-client verdicts, and the
 * fix each failure names.
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

interface Report {
  url: string;
  signedIn: boolean;
  checks: { id: string; status: string; detail: string; fix?: string }[];
  clients: { client: string; status: string; because: string[] }[];
}

const emptyConfig = mkdtempSync(join(tmpdir(), 'sb-cli-doctor-'));

async function doctor(url: string, config = emptyConfig): Promise<{ code: number | null; report: Report }> {
  const run = await runCli(['doctor', url, '--json'], { env: cliEnv({ XDG_CONFIG_HOME: config }) });
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

function statuses(report: Report): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
}

function check(report: Report, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

/** A config folder whose token cache holds the token the fixture servers accept, as `switchboard login` keeps it. */
function signedInConfig(url: string): string {
  const config = mkdtempSync(join(tmpdir(), 'sb-cli-doctor-token-'));
  mkdirSync(join(config, 'switchboard'));
  const login = {
    resource: url,
    authorizationServer: { issuer: new URL(url).origin },
    client: { client_id: 'x' },
    registration: 'dynamic',
    tokens: { access_token: 'good', token_type: 'Bearer', expires_at: Date.now() + 600_000 },
    signed_in_at: Date.now(),
  };
  writeFileSync(join(config, 'switchboard', 'tokens.json'), JSON.stringify({ version: 1, servers: { [url]: login } }));
  return config;
}

let db: TestDatabase;
let stack: OAuthStack;
beforeAll(async () => {
  assertBuilt();
  db = await createTestDatabase();
  stack = await startOAuthStack(db);
});
afterAll(async () => {
  await stack?.close();
  await db?.dispose();
});

describe('switchboard doctor', () => {
  it('passes an open switchboard server in both eras, with latency of a read-only tool', async () => {
    const server = new Switchboard({ name: 'open', version: '1.0.0' });
    server.tool('status', { annotations: { readOnlyHint: true } }, () => 'ok');
    const handle = await server.listen({ port: 0 });
    try {
      const { code, report } = await doctor(handle.url);
      expect(code).toBe(0);
      expect(statuses(report)).toMatchObject({
        'legacy-era': 'pass',
        'modern-era': 'pass',
        origin: 'pass',
        host: 'pass',
        cors: 'pass',
        challenge: 'pass',
        'prm-path': 'skip',
        'latency-list': 'pass',
        'latency-call': 'pass',
        ipv4: 'pass',
      });
      expect(check(report, 'latency-call').detail).toMatch(/^status: median \d+ ms of 5$/);
      expect(report.clients.every((verdict) => verdict.status === 'pass')).toBe(true);
      expect(report.clients.map((verdict) => verdict.client)).toEqual([
        'Claude (web)',
        'Claude Code',
        'ChatGPT',
        'Cursor',
        'VS Code',
        'Codex',
        'Inspector',
      ]);
    } finally {
      await handle.close();
    }
  });

  it('passes the authorization chain of the built-in authorization server; eras and latency wait for a token', async () => {
    const { code, report } = await doctor(stack.url);
    expect(code).toBe(0);
    expect(statuses(report)).toEqual({
      'legacy-era': 'skip',
      'modern-era': 'skip',
      origin: 'pass',
      host: 'pass',
      cors: 'pass',
      challenge: 'pass',
      'challenge-scope': 'pass',
      'prm-path': 'pass',
      'prm-root': 'pass',
      'offline-access': 'pass',
      'as-issuer': 'pass',
      pkce: 'pass',
      'registration-types': 'pass',
      'iss-parameter': 'pass',
      'dcr-loopback': 'pass',
      'dcr-custom-scheme': 'pass',
      'latency-list': 'skip',
      'latency-call': 'skip',
      ipv4: 'pass',
    });
    expect(check(report, 'legacy-era').detail).toContain(`run \`switchboard login ${stack.url}\``);
    const human = await runCli(['doctor', stack.url], { env: cliEnv({ XDG_CONFIG_HOME: emptyConfig }) });
    expect(human.stdout).toMatch(/✔ pass {2}PKCE S256 only +S256\n/);
    expect(human.stdout).toContain(`Sign in with \`switchboard login ${stack.url}\``);
  });

  it('uses the token switchboard login kept, and fails nothing on a well-configured protected server', async () => {
    const bad = await startMisconfiguredServer({});
    try {
      const config = signedInConfig(bad.url);
      const { code, report } = await doctor(bad.url, config);
      expect(report.signedIn).toBe(true);
      expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await bad.close();
    }
  });

  it('fails a server that gets the metadata wrong, says what to change, and marks the clients it stops', async () => {
    const bad = await startMisconfiguredServer({
      wrongResource: true,
      offlineAccess: true,
      issuerSlash: true,
      noOriginCheck: true,
    });
    try {
      const { code, report } = await doctor(bad.url);
      expect(code).toBe(1);
      expect(statuses(report)).toMatchObject({
        origin: 'fail',
        host: 'fail',
        cors: 'fail',
        'prm-path': 'fail',
        'prm-root': 'fail',
        'offline-access': 'fail',
        'as-issuer': 'fail',
        pkce: 'skip',
      });
      expect(check(report, 'prm-path')).toMatchObject({
        detail: `resource is "${bad.url}/", not "${bad.url}"`,
        fix: expect.stringContaining(`set resource to exactly ${bad.url}`),
      });
      expect(check(report, 'as-issuer').fix).toContain('a trailing slash counts');
      expect(check(report, 'offline-access').fix).toContain('remove offline_access');
      expect(check(report, 'origin').fix).toContain('403');
      expect(check(report, 'cors').fix).toContain('Access-Control-Allow-Origin');
      for (const verdict of report.clients) expect(verdict.status).toBe('fail');
      expect(report.clients.find((v) => v.client === 'Inspector')?.because).toEqual(
        expect.arrayContaining(['cors', 'prm-path', 'as-issuer']),
      );
    } finally {
      await bad.close();
    }
  });

  it('warns and fails on the authorization server: plain PKCE, no iss, a bare challenge, no root metadata, no custom scheme', async () => {
    const bad = await startMisconfiguredServer({
      bareChallenge: true,
      noRootMetadata: true,
      plainPkce: true,
      noIss: true,
      refuseCustomScheme: true,
    });
    try {
      const { code, report } = await doctor(bad.url);
      expect(code).toBe(1);
      expect(statuses(report)).toMatchObject({
        challenge: 'warn',
        'challenge-scope': 'warn',
        'prm-path': 'pass',
        'prm-root': 'warn',
        'as-issuer': 'pass',
        pkce: 'warn',
        'registration-types': 'pass',
        'iss-parameter': 'warn',
        'dcr-loopback': 'pass',
        'dcr-custom-scheme': 'fail',
      });
      expect(check(report, 'dcr-custom-scheme').detail).toContain('invalid_redirect_uri');
      const verdicts = Object.fromEntries(report.clients.map((v) => [v.client, v.status]));
      expect(verdicts).toMatchObject({ Cursor: 'fail', 'Claude Code': 'warn', Codex: 'warn' });
    } finally {
      await bad.close();
    }
  });

  it('fails a server with no way to register and one that only speaks 2025-11-25 (a warning)', async () => {
    const bad = await startMisconfiguredServer({ noRegistration: true, legacyOnly: true });
    try {
      const { report } = await doctor(bad.url, signedInConfig(bad.url));
      expect(statuses(report)).toMatchObject({
        'legacy-era': 'pass',
        'modern-era': 'warn',
        'latency-list': 'pass',
        'latency-call': 'pass',
        'registration-types': 'fail',
        'dcr-loopback': 'skip',
        'dcr-custom-scheme': 'skip',
      });
      expect(check(report, 'registration-types').fix).toContain('dynamic client registration');
      expect(check(report, 'modern-era')).toMatchObject({
        detail: 'HTTP 200: Method not found',
        fix: expect.stringContaining('serve the 2026-07-28 revision too'),
      });
    } finally {
      await bad.close();
    }
  });

  it('a server that cannot be reached fails the reachability checks', async () => {
    const { code, report } = await doctor('http://127.0.0.1:9/mcp');
    expect(code).toBe(1);
    expect(statuses(report)).toMatchObject({ 'legacy-era': 'fail', ipv4: 'fail' });
  });
});
