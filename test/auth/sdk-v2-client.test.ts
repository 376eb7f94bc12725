import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallbackListener } from '../support/browser-sign-in.js';
import { startCallbackListener } from '../support/browser-sign-in.js';
import { BrowserOAuthProvider } from '../support/oauth-client-provider.js';
import type { OAuthStack } from '../support/oauth-stack.js';
import { USERS } from '../support/oauth-stack.js';
import { claimsOf, text } from './support/sdk-e2e.js';
import { expectSignInRefreshAndRevocation, expectStepUp } from './support/sdk-e2e-flows.js';
import type { SdkE2EStack } from './support/sdk-e2e-stack.js';
import { startSdkE2EStack } from './support/sdk-e2e-stack.js';

/**
 * The official v2 client with its OAuth support against a protected Switchboard server and the built-in
 * authorization server on the same port, a user signing in and consenting in headless Chromium: discovery from the
 * 401, registration (DCR, then a Client ID Metadata Document), PKCE, the token, tools/list filtered by scope,
 * tools/call, the step-up 403 and re-consent, refresh, and revocation, in both eras.
 */
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

type Mode = 'auto' | 'legacy';

let browser: Browser;
let docs: SdkE2EStack['docs'];
let stack: OAuthStack;
let e2e: SdkE2EStack;
/** Each test's clients and browser contexts, closed after it. */
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  e2e = await startSdkE2EStack({
    path: '/client.json',
    name: 'Switchboard E2E (CIMD)',
    grantTypes: ['authorization_code', 'refresh_token'],
  });
  ({ browser, docs, stack } = e2e);
});
afterAll(async () => {
  await e2e?.close();
});
afterEach(async () => {
  vi.useRealTimers();
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

/** Connects, signing the user in when the server asks for it; returns the client and its live transport. */
async function connect(provider: BrowserOAuthProvider, mode: Mode) {
  const client = new Client({ name: 'e2e-v2', version: '1.0.0' }, { versionNegotiation: { mode } });
  opened.push(client);
  const transport = () => new StreamableHTTPClientTransport(new URL(stack.url), { authProvider: provider as never });
  let live = transport();
  try {
    await client.connect(live);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await live.finishAuth((await provider.callback()).searchParams as never);
    live = transport();
    await client.connect(live);
  }
  return { client, transport: live };
}

/** Where the pages the user saw are kept (look at them: the re-consent must say what is asked for). */
const SCREENSHOTS = join(tmpdir(), 'switchboard-auth-e2e');

/** A client's OAuth side for one user: its own browser context (cookies) and loopback redirect listener. */
async function newProvider(username: keyof typeof USERS, clientMetadataUrl?: string) {
  const context = await browser.newContext({ viewport: { width: 900, height: 820 } });
  const listener: CallbackListener = await startCallbackListener();
  opened.push(listener, context);
  let shown = 0;
  const onPage = async (kind: string, page: Page) => {
    await page.screenshot({ path: join(SCREENSHOTS, `${username}-${++shown}-${kind}.png`) });
  };
  const user = { username, password: USERS[username], onPage };
  return new BrowserOAuthProvider({ context, user, listener, clientMetadataUrl });
}

function stepUp(client: Client, transport: StreamableHTTPClientTransport, provider: BrowserOAuthProvider) {
  return expectStepUp(client, provider, UnauthorizedError, (callback) =>
    transport.finishAuth(callback.searchParams as never),
  );
}

describe.each(['auto', 'legacy'] as const)('the SDK v2 client (%s era)', (mode) => {
  it('signs in through DCR and PKCE, sees what its scopes allow, refreshes, and is revoked', async () => {
    const provider = await newProvider('alice');
    const { client } = await connect(provider, mode);
    expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');

    await expectSignInRefreshAndRevocation(stack, provider, client);
  });

  it('registers with a Client ID Metadata Document, steps up on a 403 and re-consents', async () => {
    const provider = await newProvider('bob', docs.url('/client.json'));
    const { client, transport } = await connect(provider, mode);
    expect(provider.authorizations[0]?.searchParams.get('client_id')).toBe(docs.url('/client.json'));
    expect(claimsOf(provider.accessToken)).toMatchObject({ client_id: docs.url('/client.json'), aud: stack.url });
    expect(text(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(
      `${stack.subjects.bob} via ${docs.url('/client.json')}`,
    );
    await stepUp(client, transport, provider);
  });

  // A client registered through DCR with `scope` set to its first authorization's scope (SEP-835) can still step
  // up: the built-in AS does not limit a self-registered client to the scope it registered with.
  it('steps up a DCR-registered client on a 403 and re-consents', async () => {
    const provider = await newProvider('alice');
    const { client, transport } = await connect(provider, mode);
    expect((provider.clientInformation() as { scope?: string }).scope).toBeUndefined();
    await stepUp(client, transport, provider);
  });
});
