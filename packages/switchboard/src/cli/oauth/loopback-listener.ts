import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthClientError } from './errors.js';

/** A one-shot listener for the authorization response (RFC 8252 §7.3), on 127.0.0.1 only. */
export interface LoopbackListener {
  /** `http://127.0.0.1:{port}/callback`, the redirect URI sent in the authorization request. */
  readonly redirectUri: string;
  /** The first request to the callback path: the authorization response, error or not. */
  readonly response: Promise<URL>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:4em auto;max-width:32em"><h1>${title}</h1><p>${text}</p>`;

/**
 * Listens on 127.0.0.1 (not `localhost`, which may resolve to ::1 where nothing listens: RFC 8252 §8.3) on
 * `preferredPort` when it is free, else on a random port. The browser is answered with a short page; requests to
 * other paths (a favicon) get 404 and do not count as the response.
 */
export async function listenForRedirect(preferredPort = 0): Promise<LoopbackListener> {
  let settle: (url: URL) => void = () => {};
  const response = new Promise<URL>((resolve) => {
    settle = resolve;
  });
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    const failed = url.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        failed
          ? PAGE('Sign-in failed', 'The authorization server said no. The terminal shows why.')
          : PAGE('Signed in', 'You can close this window and go back to the terminal.'),
      );
    settle(url);
  });
  const port = await listen(server, preferredPort).catch(() => listen(server, 0));
  origin = `http://127.0.0.1:${port}`;
  return {
    redirectUri: `${origin}/callback`,
    response,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Waits for the authorization response, or fails after `timeoutMs` with what to do. */
export async function awaitRedirect(listener: LoopbackListener, timeoutMs: number): Promise<URL> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OAuthClientError(
            `no sign-in arrived within ${Math.round(timeoutMs / 1000)} s; run the command again and finish signing in in the browser`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([listener.response, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
