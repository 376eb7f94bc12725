import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { STYLES } from './styles.js';

/** Text made safe for HTML element content and double-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"'`]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!,
  );
}

/** HTML whose parts were escaped where they came from outside: a marker type so pages cannot mix the two up. */
export class Html {
  constructor(readonly text: string) {}
}

/** Tagged template: interpolated values are escaped unless they are `Html` (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    out += parts.map((part) => (part instanceof Html ? part.text : escapeHtml(part ?? ''))).join('');
    out += strings[i + 1] ?? '';
  });
  return new Html(out);
}

export interface PageOptions {
  title: string;
  /** Product name shown above the card. */
  brand: string;
  body: Html;
  status?: number;
}

/**
 * A complete page with the headers every authorization-server page carries: no framing (clickjacking, RFC 6749
 * §10.13 and RFC 9700 §4.16: `frame-ancestors 'none'` and `X-Frame-Options: DENY`), no caching, no referrer to
 * other sites (the URL holds the interaction id), and a CSP that runs no script and loads nothing from elsewhere.
 */
export function renderPage(page: PageOptions): { headers: Record<string, string>; body: string } {
  const nonce = randomBytes(16).toString('base64');
  const initial = page.brand.trim().charAt(0).toUpperCase() || 'S';
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${page.title} · ${page.brand}</title>
<style nonce="${nonce}">${new Html(STYLES)}</style>
</head>
<body>
<main class="shell">
<header class="brand"><span class="mark" aria-hidden="true">${initial}</span><span>${page.brand}</span></header>
<section class="card">${page.body}</section>
<footer class="legal">Secured with OAuth 2.1 · Never enter your password on a page you did not expect.</footer>
</main>
</body>
</html>`;
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
  return { headers, body: document.text };
}

/** Sends {@link renderPage}'s page on a Node response. */
export function sendPage(res: ServerResponse, page: PageOptions): void {
  const { headers, body } = renderPage(page);
  res.writeHead(page.status ?? 200, headers).end(body);
}
