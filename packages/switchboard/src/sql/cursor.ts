import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ToolError } from '../protocol/errors.js';

/** How a paginated tool signs its cursors. */
export interface CursorOptions {
  /**
   * Key that signs cursors (at least 32 bytes). Set the same value on every instance behind a load balancer; by
   * default each process makes a random one, so cursors do not survive a restart.
   */
  secret?: string | Uint8Array;
  /** How long a cursor stays valid (default 1 hour). */
  ttlMs?: number;
}

const PROCESS_SECRET = randomBytes(32);
const VERSION = 1;

/** The keyset position a cursor carries, bound to one tool and one set of arguments. */
export class CursorCodec {
  readonly #tool: string;
  readonly #secret: Buffer;
  readonly #ttlMs: number;

  constructor(tool: string, options: CursorOptions = {}) {
    this.#tool = tool;
    this.#secret = options.secret === undefined ? PROCESS_SECRET : Buffer.from(options.secret);
    if (this.#secret.length < 32) throw new RangeError('the cursor secret must be at least 32 bytes');
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    if (!(this.#ttlMs > 0)) throw new RangeError('cursor ttlMs must be a positive number of milliseconds');
  }

  /** A digest of the arguments (without the cursor), so a cursor cannot be replayed against another filter. */
  static digest(args: Record<string, unknown>): string {
    const { cursor: _cursor, ...rest } = args;
    return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16);
  }

  encode(keys: readonly unknown[], digest: string, now = Date.now()): string {
    const payload = Buffer.from(JSON.stringify([VERSION, this.#tool, digest, now + this.#ttlMs, keys])).toString(
      'base64url',
    );
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The keys of a cursor this tool made for these arguments; otherwise a ToolError that says what is wrong. */
  decode(cursor: string, digest: string, now = Date.now()): unknown[] {
    const dot = cursor.indexOf('.');
    const payload = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.#sign(payload), 'base64url');
    if (dot <= 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw this.#invalid('it was altered, truncated or made by another server');
    }
    const [version, tool, madeFor, expiresAt, keys] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [
      number,
      string,
      string,
      number,
      unknown[],
    ];
    if (version !== VERSION || !Array.isArray(keys)) throw this.#invalid('its format is not one this server reads');
    if (tool !== this.#tool) throw this.#invalid(`it belongs to tool "${tool}"`);
    if (now > expiresAt) {
      throw new ToolError(
        `The cursor expired at ${new Date(expiresAt).toISOString()}. Call "${this.#tool}" again without a cursor to start from the first page.`,
      );
    }
    if (madeFor !== digest) {
      throw new ToolError(
        `The cursor was made for different arguments. Pass the same arguments as for the first page, or call "${this.#tool}" without a cursor to start over.`,
      );
    }
    return keys;
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }

  #invalid(why: string): ToolError {
    return new ToolError(
      `The cursor is not valid: ${why}. Call "${this.#tool}" again without a cursor to start from the first page.`,
    );
  }
}
