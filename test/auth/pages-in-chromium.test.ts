import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from '../support/browser-sign-in.js';
import type { Harness } from './support/auth-harness.js';
import {
  authorizationUrl,
  listen,
  PASSWORD,
  registerClient,
  startAuthServer,
  tokenRequest,
} from './support/auth-harness.js';
import { FormBrowser } from './support/form-browser.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

/** Where the screenshots go (look at them: the pages must look like a product). */
const SCREENSHOTS = join(tmpdir(), 'switchboard-auth-pages');

describe('sign-in and consent pages in Chromium', () => {
  let db: TestDatabase;
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await createTestDatabase();
    h = await startAuthServer(db, { brand: 'Acme CRM' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await db?.dispose();
  });

  it('signs in, shows who asks for what and where the answer goes, and returns a code', async () => {
    const client = await registerClient(h, {
      client_name: 'Claude Desktop',
      redirect_uris: ['http://127.0.0.1:7777/callback'],
    });
    const request = await authorizationUrl(h, { client, scope: 'leads:read leads:write' });
    const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
    let callback = '';
    await page.route('http://127.0.0.1:7777/**', (route) => {
      callback = route.request().url();
      return route.fulfill({ status: 200, body: 'done' });
    });
    await page.goto(request.url);
    await expect(page.title()).resolves.toBe('Sign in · Acme CRM');
    expect(await page.textContent('.lead')).toContain('Claude Desktop');
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
    await page.fill('#username', 'alice');
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit].primary');
    expect(await page.textContent('[role=alert]')).toContain('do not match');
    await page.screenshot({ path: join(SCREENSHOTS, 'login-error.png') });
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit].primary');
    await page.waitForSelector('button[value=allow]');
    const consent = await page.textContent('.card');
    expect(consent).toContain('Claude Desktop');
    expect(consent).toContain('Read your leads');
    expect(consent).toContain('leads:write');
    expect(consent).toContain('127.0.0.1:7777');
    expect(consent).toContain('Signed in as alice');
    await page.screenshot({ path: join(SCREENSHOTS, 'consent.png') });
    await page.click('button[value=allow]');
    await page.waitForURL((url) => url.href.startsWith('http://127.0.0.1:7777/'));
    const code = new URL(callback).searchParams.get('code')!;
    const tokens = await tokenRequest(h, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code,
      redirect_uri: 'http://127.0.0.1:7777/callback',
      code_verifier: request.verifier,
    });
    expect(tokens.status).toBe(200);
    await page.close();
  });

  // RFC 6749 §10.13 / RFC 9700 §4.16 (clickjacking): the pages refuse to be framed.
  it('does not render inside a frame, where a page without frame-ancestors does', async () => {
    const client = await registerClient(h);
    const request = await authorizationUrl(h, { client });
    const framing = await listen();
    framing.server.on('request', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<iframe src="${request.url}"></iframe><iframe src="${h.as.accessTokens.jwksUri}"></iframe>`),
    );
    const page = await browser.newPage();
    const settled = new Promise<string[]>((resolve) => {
      const seen = new Set<string>();
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) return;
        seen.add(frame.url().startsWith('chrome-error:') ? 'blocked' : new URL(frame.url()).pathname);
        if (seen.has('blocked') && seen.has('/oauth/jwks')) resolve([...seen]);
      });
    });
    await page.goto(framing.origin);
    expect(await settled).toEqual(expect.arrayContaining(['blocked', '/oauth/jwks']));
    await page.close();
    framing.server.closeAllConnections();
    await new Promise((resolve) => framing.server.close(resolve));
  });
});

describe('form protection', () => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startAuthServer(db);
  });
  afterAll(async () => {
    await h?.close();
    await db?.dispose();
  });

  async function atConsent() {
    const client = await registerClient(h);
    const browser = new FormBrowser();
    const request = await authorizationUrl(h, { client });
    await browser.visit(request.url);
    await browser.submit('/login', { username: 'alice', password: PASSWORD });
    const form = browser.forms().find((f) => f.action.endsWith('/consent'))!;
    return { browser, form };
  }

  it('sends the anti-framing and no-store headers on every page', async () => {
    const client = await registerClient(h);
    const browser = new FormBrowser();
    const request = await authorizationUrl(h, { client });
    const interaction = await browser.request(request.url);
    const page = await browser.request(new URL(interaction.headers.get('location')!, h.issuer).href);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  // RFC 6749 §10.12: CSRF protection on the forms.
  it('refuses a consent without its CSRF token', async () => {
    const { browser, form } = await atConsent();
    await browser.post(form.action, { decision: 'allow' });
    expect(browser.status).toBe(403);
  });

  it('refuses a CSRF token from another browser', async () => {
    const { form } = await atConsent();
    const other = await atConsent();
    await other.browser.post(
      form.action.replace(/interaction\/[^/]+/, other.form.action.match(/interaction\/[^/]+/)![0]),
      {
        ...form.fields,
        decision: 'allow',
      },
    );
    expect(other.browser.status).toBe(403);
  });

  it('refuses a form posted from another site', async () => {
    const { browser, form } = await atConsent();
    await browser.post(form.action, { ...form.fields, decision: 'allow' }, { origin: 'https://evil.example' });
    expect(browser.status).toBe(403);
  });

  it('refuses a replayed consent: each answer is used once', async () => {
    const { browser, form } = await atConsent();
    const first = await browser.post(form.action, { ...form.fields, decision: 'allow' });
    expect(new URL(first).searchParams.get('code')).toBeTruthy();
    await browser.post(form.action, { ...form.fields, decision: 'allow' });
    expect(browser.status).toBe(400);
    expect(browser.page).toContain('expired');
  });

  it('refuses a replayed sign-in form', async () => {
    const client = await registerClient(h);
    const browser = new FormBrowser();
    const request = await authorizationUrl(h, { client });
    await browser.visit(request.url);
    const login = browser.forms().find((f) => f.action.endsWith('/login'))!;
    await browser.post(login.action, { ...login.fields, username: 'alice', password: PASSWORD });
    await browser.post(login.action, { ...login.fields, username: 'alice', password: PASSWORD });
    expect([400, 409]).toContain(browser.status);
  });
});
