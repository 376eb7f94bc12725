import type { Browser } from 'playwright-core';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { launchChromium } from '../../support/browser-sign-in.js';
import type { OAuthStack } from '../../support/oauth-stack.js';
import { startOAuthStack } from '../../support/oauth-stack.js';
import { json, startDocumentServer } from './document-server.js';

/** The client a Client ID Metadata Document describes: where it is served and what it may do. */
export interface ClientDocument {
  path: `/${string}`;
  name: string;
  grantTypes: string[];
}

/**
 * What a native client's end-to-end sign-in needs: a protected server with the built-in authorization server, a
 * database, headless Chromium for the user, and an HTTPS server with one Client ID Metadata Document that the
 * authorization server trusts.
 */
export interface SdkE2EStack {
  db: TestDatabase;
  browser: Browser;
  docs: Awaited<ReturnType<typeof startDocumentServer>>;
  stack: OAuthStack;
  close(): Promise<void>;
}

export async function startSdkE2EStack(document: ClientDocument): Promise<SdkE2EStack> {
  const db = await createTestDatabase();
  const browser = await launchChromium();
  const docs = await startDocumentServer({
    [document.path]: json((origin) => ({
      client_id: `${origin}${document.path}`,
      client_name: document.name,
      // RFC 8252 §7.3: a loopback redirect URI matches on any port, as a native client's listener needs.
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: document.grantTypes,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    })),
  });
  const stack = await startOAuthStack(db, { as: { clientIdMetadataDocuments: { fetch: { ca: docs.cert } } } });
  return {
    db,
    browser,
    docs,
    stack,
    async close() {
      await stack.close();
      await docs.close();
      await browser.close();
      await db.dispose();
    },
  };
}
