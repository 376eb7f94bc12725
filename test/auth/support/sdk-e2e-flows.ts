import { expect, vi } from 'vitest';
import type { BrowserOAuthProvider } from '../../support/oauth-client-provider.js';
import type { OAuthStack } from '../../support/oauth-stack.js';
import { claimsOf, revoke, text } from './sdk-e2e.js';

/** The part of an SDK client (v1 or v2) the shared flows drive. */
export interface ToolClient {
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(call: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

/**
 * After a first connect: discovery from the 401 led to the built-in AS, DCR registered a client, the authorization
 * used PKCE S256 with this server as the resource and the challenged scope; tools/list shows what leads:read
 * covers; past the token's lifetime the client refreshes without the user; once its grant is revoked, the user
 * must sign in again.
 */
export async function expectSignInRefreshAndRevocation(
  stack: OAuthStack,
  provider: BrowserOAuthProvider,
  client: ToolClient,
): Promise<void> {
  const [first] = provider.authorizations;
  expect(first?.origin).toBe(stack.origin);
  expect(first?.searchParams.get('code_challenge_method')).toBe('S256');
  expect(first?.searchParams.get('resource')).toBe(stack.url);
  expect(first?.searchParams.get('scope')?.split(' ')).toContain('leads:read');
  expect(provider.clientId).not.toMatch(/^https:/);
  expect(claimsOf(provider.accessToken)).toMatchObject({
    aud: stack.url,
    iss: stack.as.issuer,
    sub: stack.subjects.alice,
  });

  expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['whoami', 'get_lead']);
  expect(text(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(
    `${stack.subjects.alice} via ${provider.clientId}`,
  );
  expect(text(await client.callTool({ name: 'get_lead', arguments: { id: 7 } }))).toBe('Lead 7: trial');

  const before = provider.accessToken;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 11 * 60_000);
  expect(text(await client.callTool({ name: 'get_lead', arguments: { id: 8 } }))).toBe('Lead 8: trial');
  expect(provider.accessToken).not.toBe(before);
  expect(provider.authorizations).toHaveLength(1);

  await revoke(stack, provider);
  vi.setSystemTime(Date.now() + 11 * 60_000);
  await expect(client.callTool({ name: 'get_lead', arguments: { id: 9 } })).rejects.toThrow();
  expect(provider.authorizations).toHaveLength(2);
  await provider.callback();
}

/**
 * A call that needs leads:write fails with the SDK's unauthorized error after one new authorization that asks for
 * leads:write and keeps leads:read (one challenge names every scope); once `finish` hands the code to the
 * transport, the call succeeds and tools/list shows the new tool.
 */
export async function expectStepUp(
  client: ToolClient,
  provider: BrowserOAuthProvider,
  unauthorized: abstract new (...args: never[]) => Error,
  finish: (callback: URL) => Promise<void>,
): Promise<void> {
  const asked = provider.authorizations.length;
  await expect(client.callTool({ name: 'update_lead', arguments: { id: 7 } })).rejects.toBeInstanceOf(unauthorized);
  expect(provider.authorizations).toHaveLength(asked + 1);
  expect(provider.authorizations[asked]?.searchParams.get('scope')?.split(' ')).toEqual(
    expect.arrayContaining(['leads:read', 'leads:write']),
  );
  await finish(await provider.callback());
  expect(text(await client.callTool({ name: 'update_lead', arguments: { id: 7 } }))).toBe('Lead 7 updated');
  expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['whoami', 'get_lead', 'update_lead']);
}
