import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorizedFetch } from '../../packages/switchboard/src/cli/oauth/index.js';
import { TokenCache } from '../../packages/switchboard/src/cli/oauth/token-cache.js';
import type { SdkE2EStack } from '../auth/support/sdk-e2e-stack.js';
import { startSdkE2EStack } from '../auth/support/sdk-e2e-stack.js';
import { finishSignIn } from '../support/browser-sign-in.js';
import type { OAuthStack } from '../support/oauth-stack.js';
import { USERS } from '../support/oauth-stack.js';
import { printedSignInUrl } from './browser-login.js';
import { assertBuilt, CliProcess, cliEnv, runCli } from './cli-process.js';

/**
 * `switchboard login | whoami | logout` against a server protected by the built-in authorization server, the
 * user signing in in headless Chromium from the URL the CLI prints: discovery from the 401, dynamic registration
 * (and a Client ID Metadata Document), PKCE, the resource-bound token in a 0600 cache, refresh, revocation.
 */
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

let browser: Browser;
let stack: OAuthStack;
let docs: SdkE2EStack['docs'];
let e2e: SdkE2EStack;

beforeAll(async () => {
  assertBuilt();
  e2e = await startSdkE2EStack({
    path: '/cli.json',
    name: 'Switchboard CLI (CIMD)',
    grantTypes: ['authorization_code', 'refresh_token'],
  });
  ({ browser, docs, stack } = e2e);
});
afterAll(async () => {
  await e2e?.close();
});

/** A fresh config folder: each test has its own token cache. */
function userEnv() {
  const config = mkdtempSync(join(tmpdir(), 'sb-cli-login-'));
  return { config, env: cliEnv({ XDG_CONFIG_HOME: config, SWITCHBOARD_OPEN_BROWSER: 'none' }) };
}

/** Runs `switchboard login`, signs in as `username` in Chromium, and returns the finished run. */
async function loginAs(env: NodeJS.ProcessEnv, username: keyof typeof USERS, args: string[] = []) {
  const cli = new CliProcess(['login', stack.url, ...args], { env });
  const url = new URL(await printedSignInUrl(cli));
  const context = await browser.newContext();
  try {
    await finishSignIn(context, url.href, { username, password: USERS[username] });
  } finally {
    await context.close();
  }
  const code = await cli.exited;
  return { code, stdout: cli.stdout, stderr: cli.stderr, url };
}

function cacheOf(config: string) {
  const path = join(config, 'switchboard', 'tokens.json');
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    servers: Record<string, { tokens: Record<string, unknown>; client: { client_id: string } }>;
  };
  const entry = file.servers[stack.url];
  if (entry === undefined) throw new Error(`no cache entry for ${stack.url}`);
  return { path, file, entry };
}

function claimsOf(token: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString());
}

describe('switchboard login', () => {
  it('signs in with DCR and PKCE, keeps the tokens 0600, whoami shows the user, refreshes, logout revokes', async () => {
    const { config, env } = userEnv();
    const run = await loginAs(env, 'alice');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Signed in to ${stack.url}`);

    // The authorization request: the built-in AS found from the 401, PKCE S256, this server as the resource, the
    // challenge's scope, and a loopback redirect on 127.0.0.1.
    expect(run.url.origin).toBe(stack.origin);
    expect(run.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(run.url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(run.url.searchParams.get('resource')).toBe(stack.url);
    expect(run.url.searchParams.get('scope')).toBe('leads:read');
    expect(run.url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const { path, entry } = cacheOf(config);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(config, 'switchboard')).mode & 0o777).toBe(0o700);
    expect(claimsOf(entry.tokens.access_token)).toMatchObject({ aud: stack.url, sub: stack.subjects.alice });
    expect(entry.tokens.refresh_token).toEqual(expect.any(String));

    const who = await runCli(['whoami', stack.url, '--json'], { env });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({
      resource: stack.url,
      issuer: stack.origin,
      subject: stack.subjects.alice,
      scopes: ['leads:read'],
      clientId: entry.client.client_id,
      registration: 'dynamic',
      refreshable: true,
    });
    expect(who.stdout).not.toContain(String(entry.tokens.access_token));

    // The client commands use the cached token: `call` reaches the protected tool with no flag.
    const called = await runCli(['call', stack.url, 'get_lead', 'id=7'], { env });
    expect(called.code, called.stderr).toBe(0);
    expect(called.stdout).toContain('Lead 7: trial');

    // Past its stated expiry the token is refreshed before use: a new access token, the same grant.
    const expired = cacheOf(config);
    expired.entry.tokens.expires_at = Date.now() - 1_000;
    writeFileSync(expired.path, JSON.stringify(expired.file));
    const refreshed = await runCli(['whoami', stack.url], { env });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stdout).toContain(`subject  ${stack.subjects.alice}`);
    const after = cacheOf(config).entry;
    expect(after.tokens.access_token).not.toBe(entry.tokens.access_token);
    expect(after.tokens.expires_at).toBeGreaterThan(Date.now());
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // logout revokes at the AS and forgets: the old refresh token no longer works, whoami says to sign in.
    const out = await runCli(['logout', stack.url], { env });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('(revoked: refresh token)');
    expect(out.stderr).toBe('');
    expect(await refreshWith(after.client.client_id, String(after.tokens.refresh_token))).toBe('invalid_grant');
    const gone = await runCli(['whoami', stack.url], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`not signed in to ${stack.url}: run \`switchboard login ${stack.url}\``);
    // Signed out and without a terminal to sign in at, `call` says what to run instead of hanging on a browser.
    const refused = await runCli(['call', stack.url, 'get_lead', 'id=7'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`switchboard login ${stack.url}`);
    const again = await runCli(['logout', stack.url], { env });
    expect(again.stdout).toContain('Not signed in');
  });

  it('reuses its registration on the next sign-in, and uses a Client ID Metadata Document when given one', async () => {
    const { config, env } = userEnv();
    expect((await loginAs(env, 'bob')).code).toBe(0);
    const first = cacheOf(config).entry.client.client_id;
    const second = await loginAs(env, 'bob');
    expect(second.code, second.stderr).toBe(0);
    expect(second.url.searchParams.get('client_id')).toBe(first);

    const cimd = userEnv();
    const run = await loginAs(cimd.env, 'bob', ['--client-metadata-url', docs.url('/cli.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.url.searchParams.get('client_id')).toBe(docs.url('/cli.json'));
    expect(claimsOf(cacheOf(cimd.config).entry.tokens.access_token)).toMatchObject({
      client_id: docs.url('/cli.json'),
      sub: stack.subjects.bob,
    });
  });

  it('fails clearly: a server that asks for no token, a URL that is not one, the browser never coming back', async () => {
    const { env } = userEnv();
    const open = await runCli(['login', `${stack.origin}/nothing-here`], { env });
    expect(open.code).toBe(0);
    expect(open.stdout).toContain('does not ask for a token (it answered 404)');
    const bad = await runCli(['login', 'mcp.example.com'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"mcp.example.com" is not a URL');
    const late = await runCli(['login', stack.url, '--login-timeout', '200'], { env });
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('no sign-in arrived within 0 s');
  });
});

describe('authorizedFetch', () => {
  it('refreshes when the server refuses the cached token, and without interaction says to run login', async () => {
    const { config, env } = userEnv();
    expect((await loginAs(env, 'alice')).code).toBe(0);
    const cache = new CountingCache(join(config, 'switchboard'));
    const ping = () =>
      send(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    let send = authorizedFetch(stack.url, { cache, interactive: false });
    const live = cache.get(stack.url);
    if (live === undefined) throw new Error('login left nothing in the cache');
    cache.gets = 0;
    for (let i = 0; i < 5; i++) expect((await ping()).status).not.toBe(401);
    // The token file is read once, not per request.
    expect(cache.gets).toBe(1);

    // A token the server refuses before its stated expiry (revoked, rotated) is refreshed once, then retried.
    cache.set({ ...live, tokens: { ...live.tokens, access_token: 'garbage' } });
    send = authorizedFetch(stack.url, { cache, interactive: false });
    expect((await ping()).status).not.toBe(401);
    expect(cache.get(stack.url)?.tokens.access_token).not.toBe('garbage');

    // With the grant revoked too, nothing works without the user: the error says what to run.
    cache.set({
      ...live,
      tokens: { access_token: 'garbage', token_type: 'Bearer', refresh_token: 'revoked' },
    });
    send = authorizedFetch(stack.url, { cache, interactive: false });
    await expect(ping()).rejects.toThrow(`run \`switchboard login ${stack.url}\``);

    // Requests to other origins never carry the token.
    let seen: string | null = 'unset';
    const other = authorizedFetch(stack.url, {
      cache,
      fetch: async (request) => {
        seen = (request as Request).headers.get('authorization');
        return new Response('{}');
      },
    });
    await other('http://127.0.0.2:9/elsewhere');
    expect(seen).toBeNull();
  });
});

/** A token cache that counts its reads. */
class CountingCache extends TokenCache {
  gets = 0;
  override get(resource: string) {
    this.gets++;
    return super.get(resource);
  }
}

async function refreshWith(clientId: string, refreshToken: string): Promise<string> {
  const issuer = new URL(stack.origin);
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  );
  const response = await oauth.refreshTokenGrantRequest(
    as,
    { client_id: clientId },
    oauth.None(),
    refreshToken,
    insecure,
  );
  try {
    await oauth.processRefreshTokenResponse(as, { client_id: clientId }, response);
    return 'ok';
  } catch (error) {
    return error instanceof oauth.ResponseBodyError ? error.error : String(error);
  }
}
