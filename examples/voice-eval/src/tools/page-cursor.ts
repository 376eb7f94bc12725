import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ToolError } from 'switchboard-mcp';

/**
 * Opaque page cursors: the position plus whatever the next page must keep (the window, the filters), as
 * base64url JSON with an HMAC, so a model can hand one back but cannot forge or edit one.
 */
export class PageCursors<T> {
  readonly #key: Buffer;
  readonly #tool: string;

  constructor(tool: string, secret: string | undefined) {
    this.#tool = tool;
    this.#key = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  }

  /** A cursor for `state`, bound to the filters (`scope`) of the page that issued it. */
  encode(state: T, scope: string): string {
    const body = Buffer.from(JSON.stringify({ s: scope, v: state })).toString('base64url');
    return `${body}.${this.#sign(body)}`;
  }

  /** The state inside `cursor`, or a ToolError the model can act on when it is not one this server issued. */
  decode(cursor: string, scope: string): T {
    const [body, signature, extra] = cursor.split('.');
    if (body === undefined || signature === undefined || extra !== undefined || !this.#valid(body, signature)) {
      throw new ToolError(
        `cursor: not a cursor ${this.#tool} issued (it was edited, truncated or comes from an earlier server). ` +
          'Call the tool again without cursor to start from the first page.',
      );
    }
    const { s, v } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { s: string; v: T };
    if (s !== scope) {
      throw new ToolError(
        'cursor: it belongs to a query with other filters. Pass the same agent, suite, kind and ' +
          'regressions_only as on the first page, or drop cursor to start over with the new filters.',
      );
    }
    return v;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#key).update(`${this.#tool}\n${body}`).digest('base64url');
  }

  #valid(body: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
