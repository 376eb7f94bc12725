import * as oauth from 'oauth4webapi';
import type { BrowserOAuthProvider } from '../../support/oauth-client-provider.js';
import type { OAuthStack } from '../../support/oauth-stack.js';

/** What the SDK v1 and v2 end-to-end tests share: reading results and tokens, and revoking a client's grant. */

/** The first text content of a tool result. */
export function text(result: unknown): string {
  return ((result as { content: { text?: string }[] }).content[0]?.text ?? '') as string;
}

/** The claims of a JWT, unverified (the server verified it; the test reads what it carries). */
export function claimsOf(token: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString());
}

/** Revokes the client's refresh token at the built-in AS (RFC 7009), with oauth4webapi, as a client would. */
export async function revoke(stack: OAuthStack, provider: BrowserOAuthProvider): Promise<void> {
  const issuer = new URL(stack.as.issuer);
  const insecure = { [oauth.allowInsecureRequests]: true } as const;
  const metadata = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  );
  const client = { client_id: provider.clientId as string };
  const response = await oauth.revocationRequest(metadata, client, oauth.None(), provider.refreshToken as string, {
    ...insecure,
  });
  await oauth.processRevocationResponse(response);
}
