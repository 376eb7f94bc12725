import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A native client's loopback redirect listener (RFC 8252 §7.3): an ephemeral port on 127.0.0.1 that receives the
 * authorization response and answers the browser with a short page.
 */
export interface CallbackListener {
  /** The redirect URI to register, `http://127.0.0.1:{port}/callback`. */
  readonly url: string;
  /** The next authorization response to arrive. */
  next(): Promise<URL>;
  close(): Promise<void>;
}

export async function startCallbackListener(): Promise<CallbackListener> {
  const arrived: URL[] = [];
  const waiting: ((url: URL) => void)[] = [];
  let origin = '';
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    // Browsers also ask for /favicon.ico and the like: only the redirect URI's path is the response.
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Signed in. You can close this window.');
    const waiter = waiting.shift();
    if (waiter !== undefined) waiter(url);
    else arrived.push(url);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url: `${origin}/callback`,
    next: () => {
      const ready = arrived.shift();
      return ready !== undefined ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };
}

export interface SignInOptions {
  username: string;
  password: string;
  consent?: 'allow' | 'deny';
  /** Called with each page the browser shows (sign-in, consent), e.g. to screenshot it. */
  onPage?: (kind: 'login' | 'consent', page: Page) => Promise<void>;
}

/**
 * A user in headless Chromium: opens the authorization URL, signs in when asked (a browser context that signed in
 * before may go straight to consent), answers the consent page, and returns the authorization response the
 * client's loopback listener received.
 */
export async function signIn(
  context: BrowserContext,
  url: string,
  callback: CallbackListener,
  options: SignInOptions,
): Promise<URL> {
  const page = await context.newPage();
  const arrived = callback.next();
  const done = arrived.then(() => 'done' as const);
  try {
    await page.goto(url);
    const first = await Promise.race([
      quiet(page.waitForSelector('#username').then(() => 'login' as const)),
      quiet(page.waitForSelector('button[value=allow]').then(() => 'consent' as const)),
      done,
    ]);
    if (first === 'login') {
      await options.onPage?.('login', page);
      await page.fill('#username', options.username);
      await page.fill('#password', options.password);
      await page.click('button[type=submit].primary');
    }
    if (first !== 'done') {
      const next = await Promise.race([
        quiet(page.waitForSelector('button[value=allow]').then(() => 'consent' as const)),
        done,
      ]);
      if (next === 'consent') {
        await options.onPage?.('consent', page);
        await page.click(`button[value=${options.consent ?? 'allow'}]`);
      }
    }
    return await arrived;
  } finally {
    await page.close();
  }
}

/**
 * A user finishing a native client's sign-in in headless Chromium: opens the URL the client printed, signs in when
 * asked (a context that signed in before goes straight to consent), allows, and waits until the browser lands on
 * the client's loopback redirect page (`landing`, by default `http://127.0.0.1:<port>/callback?…`). `onConsent`
 * sees the consent page before it is answered.
 */
export async function finishSignIn(
  context: BrowserContext,
  url: string,
  user: { username: string; password: string },
  options: { landing?: RegExp; onConsent?: (page: Page) => Promise<void> } = {},
): Promise<URL> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    const landed = page.waitForURL(options.landing ?? /^http:\/\/127\.0\.0\.1:\d+\/callback\?/, { timeout: 30_000 });
    const first = await Promise.race([
      page.waitForSelector('#username').then(() => 'login' as const),
      page.waitForSelector('button[value=allow]').then(() => 'consent' as const),
    ]);
    if (first === 'login') {
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      await page.click('button[type=submit].primary');
      await page.waitForSelector('button[value=allow]');
    }
    await options.onConsent?.(page);
    await page.click('button[value=allow]');
    await landed;
    return new URL(page.url());
  } finally {
    await page.close();
  }
}

/** A wait that loses a race settles quietly when the page closes under it. */
function quiet<T>(wait: Promise<T>): Promise<T> {
  return wait.catch(() => new Promise<T>(() => {}));
}
