import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_FORM_BYTES = 16 * 1024;

/** Cookie attributes for one browser's CSRF nonce. */
export interface CookiePolicy {
  /** `__Host-` name, `Secure`: served over https (or a loopback origin the browser treats as secure). */
  secure: boolean;
}

function cookieName(policy: CookiePolicy): string {
  return policy.secure ? '__Host-sb-csrf' : 'sb-csrf';
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * CSRF protection for the sign-in and consent forms (RFC 6749 §10.12, RFC 9700 §4.7): a random nonce in a
 * host-only cookie, and in each form an HMAC of that nonce, the interaction id and the step. A token is good for one
 * step of one sign-in in one browser; once the step is answered the interaction refuses a second answer.
 */
export class BrowserGuard {
  readonly #key: Buffer;
  readonly #policy: CookiePolicy;

  constructor(key: Buffer, policy: CookiePolicy) {
    this.#key = key;
    this.#policy = policy;
  }

  /** The form token for `uid`/`step`, setting the nonce cookie on the response when the browser has none. */
  issue(req: IncomingMessage, res: ServerResponse, uid: string, step: string): string {
    let nonce = readCookie(req, cookieName(this.#policy));
    if (nonce === undefined || !/^[\w-]{22}$/.test(nonce)) {
      nonce = randomBytes(16).toString('base64url');
      const secure = this.#policy.secure ? '; Secure' : '';
      res.setHeader('set-cookie', `${cookieName(this.#policy)}=${nonce}; Path=/; HttpOnly; SameSite=Lax${secure}`);
    }
    return this.#token(nonce, uid, step);
  }

  /** Whether a posted token was issued to this browser for this step of this interaction. */
  verify(req: IncomingMessage, token: string | null, uid: string, step: string): boolean {
    const nonce = readCookie(req, cookieName(this.#policy));
    if (nonce === undefined || token === null) return false;
    const expected = Buffer.from(this.#token(nonce, uid, step));
    const actual = Buffer.from(token);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  #token(nonce: string, uid: string, step: string): string {
    return createHmac('sha256', this.#key).update(`${nonce}\n${uid}\n${step}`).digest('base64url');
  }
}

/**
 * Whether a form POST came from our own pages. Browsers that send Fetch Metadata must say `same-origin`; for older
 * ones the Origin header, when sent, must be ours.
 */
export function sameOrigin(req: IncomingMessage, origin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const from = req.headers.origin;
  return from === undefined || from === origin;
}

/** Reads an `application/x-www-form-urlencoded` body (at most 16 KiB), or undefined for anything else. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
