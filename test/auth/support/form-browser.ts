/**
 * A small cookie-keeping HTTP client that walks the sign-in and consent pages the way a browser does: follows
 * redirects one hop at a time, keeps cookies, reads forms and their hidden fields. The Chromium tests drive the
 * same pages with a real browser; this one lets the many negative tests run quickly.
 */
export interface Form {
  action: string;
  fields: Record<string, string>;
}

export class FormBrowser {
  readonly cookies = new Map<string, string>();
  /** The last response's body and URL. */
  page = '';
  url = '';
  status = 0;
  /** Every URL requested, in order. */
  readonly history: string[] = [];
  /** Redirects are followed while they stay under this prefix (default: the origin of the first URL). */
  follow: string | undefined;

  /** One request, no redirect following; stores cookies. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    this.history.push(url);
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects until a page (not a redirect) or a URL outside `origin` (the client's redirect URI). */
  async visit(url: string, init: RequestInit = {}, origin = this.follow ?? new URL(url).origin): Promise<string> {
    let next = url;
    let response = await this.request(next, init);
    while (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get('location')!, next).href;
      if (!next.startsWith(origin)) {
        this.url = next;
        this.status = response.status;
        return next;
      }
      response = await this.request(next);
    }
    this.url = next;
    this.status = response.status;
    this.page = await response.text();
    return next;
  }

  /** The forms on the current page (action and hidden inputs). */
  forms(): Form[] {
    return [...this.page.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({
      action: new URL(decode(m[1]!), this.url).href,
      fields: Object.fromEntries(
        [...m[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)].map((f) => [
          f[1]!,
          decode(f[2]!),
        ]),
      ),
    }));
  }

  /** Submits a form on the current page (by action suffix) with extra fields, following redirects. */
  async submit(actionSuffix: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const form = this.forms().find((f) => f.action.endsWith(actionSuffix));
    if (!form) throw new Error(`no form ending in ${actionSuffix} on ${this.url}:\n${this.page}`);
    return this.post(form.action, { ...form.fields, ...fields }, headers);
  }

  /** Posts a form body to a URL, following redirects. */
  post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.visit(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}
