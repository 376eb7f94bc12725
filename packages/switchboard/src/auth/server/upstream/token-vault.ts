import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Queryable } from '../../../sql/database.js';
import { AuthServerConfigError } from '../errors.js';

/** Upstream tokens as kept for one account. */
export interface UpstreamTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch seconds. */
  expiresAt?: number;
  scope?: string;
  tokenType?: string;
}

/** Reads a 32-byte key given as base64url/base64 (43-44 characters) or hex (64), or as bytes. */
export function encryptionKey(key: string | Buffer): Buffer {
  const bytes =
    typeof key !== 'string'
      ? key
      : /^[0-9a-f]{64}$/i.test(key)
        ? Buffer.from(key, 'hex')
        : Buffer.from(key, 'base64url');
  if (bytes.length !== 32) {
    throw new AuthServerConfigError('upstream.tokenEncryptionKey must be 32 bytes (e.g. `openssl rand -base64 32`)');
  }
  return bytes;
}

/**
 * Upstream tokens at rest: AES-256-GCM with a random IV, the account id as associated data (a sealed row copied to
 * another account does not open), `v1.iv.tag.ciphertext` in base64url. The key comes from the operator, not from the
 * database, so a database dump alone does not reveal the tokens.
 */
export class TokenVault {
  readonly #key: Buffer;
  readonly #db: Queryable;

  constructor(db: Queryable, key: Buffer) {
    this.#db = db;
    this.#key = key;
  }

  seal(accountId: string, tokens: UpstreamTokens): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(accountId));
    const body = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(accountId: string, sealed: string): UpstreamTokens {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed upstream tokens');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(accountId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as UpstreamTokens;
  }

  async store(accountId: string, tokens: UpstreamTokens): Promise<void> {
    await this.#db.query(
      `INSERT INTO auth_upstream_tokens (account_id, sealed) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`,
      [accountId, this.seal(accountId, tokens)],
    );
  }

  async load(accountId: string): Promise<UpstreamTokens | undefined> {
    const { rows } = await this.#db.query<{ sealed: string }>(
      'SELECT sealed FROM auth_upstream_tokens WHERE account_id = $1',
      [accountId],
    );
    return rows[0] && this.open(accountId, rows[0].sealed);
  }
}
