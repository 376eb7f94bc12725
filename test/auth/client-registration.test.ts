import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlEngines } from '../support/services.js';
import type { Harness } from './support/auth-harness.js';
import {
  authorizationUrl,
  authorize,
  redeem,
  registerClient,
  startAuthServer,
  tokenRequest,
} from './support/auth-harness.js';
import { json, startDocumentServer } from './support/document-server.js';
import { FormBrowser } from './support/form-browser.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

const CALLBACK = 'http://127.0.0.1:7777/callback';

describe.each(sqlEngines())('client registration on $name', ({ url }) => {
  let db: TestDatabase;
  let h: Harness;
  let docs: Awaited<ReturnType<typeof startDocumentServer>>;
  const document = (path: string, extra: Record<string, unknown> = {}) =>
    json((origin) => ({
      client_id: `${origin}${path}`,
      client_name: 'Metadata Client',
      redirect_uris: [CALLBACK],
      token_endpoint_auth_method: 'none',
      ...extra,
    }));

  beforeAll(async () => {
    db = await createTestDatabase({ url });
    docs = await startDocumentServer({
      '/good.json': document('/good.json'),
      '/scoped.json': document('/scoped.json', { scope: 'leads:read' }),
      '/mismatch.json': document('/mismatch.json', { client_id: 'https://someone-else.example/client.json' }),
      '/unnamed.json': document('/unnamed.json', { client_name: undefined }),
      '/oversize.json': document('/oversize.json', { client_uri: `https://example.com/${'x'.repeat(6000)}` }),
      '/text.json': (res, origin) =>
        void res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(JSON.stringify({ client_id: `${origin}/text.json`, client_name: 'x', redirect_uris: [CALLBACK] })),
      '/redirect.json': (res, origin) => void res.writeHead(302, { location: `${origin}/good.json` }).end(),
      '/slow.json': () => {}, // never answers
    });
    h = await startAuthServer(db, {
      clientIdMetadataDocuments: { fetch: { ca: docs.cert, timeoutMs: 400 } },
    });
  });
  afterAll(async () => {
    await h?.close();
    await docs?.close();
    await db?.dispose();
  });

  const register = (metadata: Record<string, unknown>) =>
    fetch(h.metadata.registration_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'x', token_endpoint_auth_method: 'none', ...metadata }),
    });

  describe('dynamic client registration (RFC 7591)', () => {
    // RFC 7591 §3.2.2 / MCP 2025-11-25 §Communication Security: bad redirect URIs get invalid_redirect_uri.
    it.each([
      ['javascript:', ['javascript:alert(1)']],
      ['data:', ['data:text/html,hi']],
      ['file:', ['file:///etc/passwd']],
      ['plain http off loopback', ['http://evil.example.com/cb']],
      ['a fragment', ['https://app.example.com/cb#x']],
      ['none at all', []],
    ])('refuses %s redirect URIs', async (_name, uris) => {
      const response = await register({ redirect_uris: uris });
      expect(response.status).toBe(400);
      expect((await response.json()) as object).toMatchObject({
        error: expect.stringMatching(/^invalid_(redirect_uri|client_metadata)$/),
      });
    });

    // MCP 2025-11-25 authorization §Step-Up Authorization Flow: a client that registered with the scope of its
    // first authorization (SEP-835) may ask for more later; only the user's consent decides. RFC 7591 §2 lets the
    // server ignore the registered `scope`, and does not echo it back then.
    it('does not limit a registered client to the scope it registered with', async () => {
      const client = await registerClient(h, { redirect_uris: [CALLBACK], scope: 'leads:read' });
      expect(client.scope).toBeUndefined();
      const first = await authorize(h, { client, scope: 'leads:read' });
      expect(first.callback.searchParams.get('code')).toBeTruthy();
      const stepUp = await authorize(h, { client, scope: 'leads:read leads:write', browser: first.browser });
      expect(stepUp.callback.searchParams.get('error')).toBeNull();
      const tokens = await redeem(h, client, stepUp.callback, stepUp.state, CALLBACK, stepUp.verifier);
      expect(tokens.scope?.split(' ').sort()).toEqual(['leads:read', 'leads:write']);
    });

    // A pre-registered client keeps the scope it was configured with (RFC 6749 §3.3: invalid_scope beyond it).
    it('limits a pre-registered client to its configured scope', async () => {
      const configured = { client_id: 'reader', redirect_uris: [CALLBACK], scope: 'leads:read' };
      const limited = await startAuthServer(db, {
        clients: [{ ...configured, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] }],
      });
      try {
        const flow = await authorize(limited, { client: configured, scope: 'leads:read leads:write' });
        expect(flow.callback.searchParams.get('error')).toBe('invalid_scope');
        expect(flow.callback.searchParams.get('state')).toBe(flow.state);
      } finally {
        await limited.close();
      }
    });

    // Open registration is bounded per client address (429 once over the limit).
    it('refuses registrations over the rate limit', async () => {
      const limited = await startAuthServer(db, { dynamicRegistration: { maxPerWindow: 2, windowSeconds: 3600 } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const response = await fetch(limited.metadata.registration_endpoint!, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' }),
          });
          statuses.push(response.status);
          if (response.status === 429) expect(response.headers.get('retry-after')).toBe('3600');
        }
        expect(statuses).toEqual([201, 201, 429]);
      } finally {
        await limited.close();
      }
    });
  });

  describe('Client ID Metadata Documents', () => {
    async function refused(clientId: string) {
      const browser = new FormBrowser();
      const request = await authorizationUrl(h, {
        client: { client_id: clientId, redirect_uris: [CALLBACK] },
        params: { scope: 'leads:read' },
      });
      const at = await browser.visit(request.url);
      expect(at.startsWith(h.issuer)).toBe(true);
      expect(browser.status).toBe(400);
      return browser.page;
    }

    it('signs in a client known only by its document, named on the consent page', async () => {
      const client = { client_id: docs.url('/good.json'), redirect_uris: [CALLBACK] };
      const browser = new FormBrowser();
      const request = await authorizationUrl(h, { client });
      await browser.visit(request.url);
      await browser.submit('/login', { username: 'alice', password: 'correct horse battery' });
      expect(browser.page).toContain('Metadata Client');
      expect(browser.page).toContain(`Identified by ${new URL(docs.origin).host}`);
      const flow = await authorize(h, { client, browser });
      const tokens = await tokenRequest(h, {
        grant_type: 'authorization_code',
        client_id: client.client_id,
        code: flow.callback.searchParams.get('code')!,
        redirect_uri: CALLBACK,
        code_verifier: flow.verifier,
      });
      expect(tokens.status).toBe(200);
    });

    // As for registered clients: a document's `scope` does not stop a later step-up.
    it('does not limit a document client to the scope its document names', async () => {
      const client = { client_id: docs.url('/scoped.json'), redirect_uris: [CALLBACK] };
      const flow = await authorize(h, { client, scope: 'leads:read leads:write' });
      expect(flow.callback.searchParams.get('error')).toBeNull();
      expect(flow.callback.searchParams.get('code')).toBeTruthy();
    });

    // draft-ietf-oauth-client-id-metadata-document-02 §4.1 (and MCP 2025-11-25): client_id MUST match the URL.
    it('refuses a document whose client_id is another URL', async () => {
      expect(await refused(docs.url('/mismatch.json'))).toContain('invalid_client');
    });
    // MCP 2025-11-25 / 2026-07-28 client-registration: the document MUST contain client_name and redirect_uris.
    it('refuses a document without a client_name', async () => {
      expect(await refused(docs.url('/unnamed.json'))).toContain('invalid_client');
    });
    // MCP: the AS MUST validate redirect URIs against those in the document.
    it('refuses a redirect URI the document does not list', async () => {
      const browser = new FormBrowser();
      const request = await authorizationUrl(h, {
        client: { client_id: docs.url('/good.json'), redirect_uris: [CALLBACK] },
        redirectUri: 'http://127.0.0.1:7777/elsewhere',
      });
      await browser.visit(request.url);
      expect(browser.status).toBe(400);
      expect(browser.page).toContain('invalid_redirect_uri');
    });
    // draft-02 §8 (SSRF, denial of service): size and time limits, no redirects, JSON only.
    it('refuses an oversize document', async () => {
      expect(await refused(docs.url('/oversize.json'))).toContain('invalid_client');
    });
    it('refuses a document that does not answer in time', async () => {
      expect(await refused(docs.url('/slow.json'))).toContain('invalid_client');
    });
    it('refuses a redirect instead of following it', async () => {
      expect(await refused(docs.url('/redirect.json'))).toContain('invalid_client');
    });
    // draft-02 §4 (a difference from -00, which MCP 2025-11-25 cites): non-JSON content types are an error.
    it('refuses a document served as text/plain', async () => {
      expect(await refused(docs.url('/text.json'))).toContain('invalid_client');
    });
    // MCP 2025-11-25 / 2026-07-28: the client_id URL MUST use https.
    it('refuses an http client_id', async () => {
      expect(await refused(docs.url('/good.json').replace('https:', 'http:'))).toContain('invalid_client');
    });
    // draft-02 §8 SSRF: no private or special-use addresses.
    it.each([
      'https://10.0.0.7/client.json',
      'https://192.168.1.20/client.json',
      'https://169.254.169.254/latest.json',
    ])('refuses a document at %s', async (clientId) => {
      expect(await refused(clientId)).toContain('invalid_client');
    });
  });
});
