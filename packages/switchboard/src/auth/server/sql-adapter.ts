import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { Queryable } from '../../sql/database.js';
import { ISSUED_ACCESS_TOKEN } from './issued-access-tokens.js';

/** Artefacts that may be redeemed once: a second redemption is refused and revokes the grant behind it. */
const SINGLE_USE = new Map([
  ['AuthorizationCode', 'authorization code already consumed'],
  ['RefreshToken', 'refresh token already used'],
  ['DeviceCode', 'device code already consumed'],
  ['BackchannelAuthenticationRequest', 'backchannel authentication request already consumed'],
]);

type PayloadRow = {
  payload: AdapterPayload;
  consumed_at: Date | null;
};

/**
 * oidc-provider's storage on PostgreSQL or PGlite: one `auth_oidc_payloads` row per model instance. Consuming is
 * a single conditional UPDATE, so when several instances share the database exactly one of them redeems a code or
 * rotates a refresh token; the loser is refused and the grant is revoked (OAuth 2.1 §4.1.3: a code used twice
 * MUST be denied and SHOULD revoke the tokens issued from it; RFC 9700 §4.14.2 for refresh-token reuse).
 */
export function sqlAdapter(db: Queryable): AdapterFactory {
  return (model: string) => new SqlAdapter(db, model);
}

class SqlAdapter implements Adapter {
  readonly #db: Queryable;
  readonly #model: string;

  constructor(db: Queryable, model: string) {
    this.#db = db;
    this.#model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.#db.query(
      `INSERT INTO auth_oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, CASE WHEN $7::float8 IS NULL THEN NULL ELSE now() + $7::float8 * interval '1 second' END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
      [
        this.#model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        typeof expiresIn === 'number' ? expiresIn : null,
      ],
    );
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.#one('id = $2', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#one('uid = $2', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#one('user_code = $2', userCode);
  }

  async consume(id: string): Promise<void> {
    const claimed = await this.#db.query(
      'UPDATE auth_oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2 AND consumed_at IS NULL',
      [this.#model, id],
    );
    if (claimed.rowCount === 1) return;
    const refusal = SINGLE_USE.get(this.#model);
    if (refusal === undefined) return;
    // Another instance (or a concurrent request) redeemed it between our read and this write.
    const row = await this.#db.query<{ grant_id: string | null }>(
      'SELECT grant_id FROM auth_oidc_payloads WHERE model = $1 AND id = $2',
      [this.#model, id],
    );
    const grantId = row.rows[0]?.grant_id;
    if (grantId) await revokeGrant(this.#db, grantId);
    throw new errors.InvalidGrant(refusal);
  }

  async destroy(id: string): Promise<void> {
    await this.#db.query('DELETE FROM auth_oidc_payloads WHERE model = $1 AND id = $2', [this.#model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // Revoking a grant's access tokens includes the JWT ones, known only by their issued-token rows.
    const models = this.#model === 'AccessToken' ? [this.#model, ISSUED_ACCESS_TOKEN] : [this.#model];
    await this.#db.query('DELETE FROM auth_oidc_payloads WHERE model = ANY($1::text[]) AND grant_id = $2', [
      models,
      grantId,
    ]);
  }

  async #one(where: string, value: string): Promise<AdapterPayload | undefined> {
    const result = await this.#db.query<PayloadRow>(
      `SELECT payload, consumed_at FROM auth_oidc_payloads
       WHERE model = $1 AND ${where} AND (expires_at IS NULL OR expires_at > now())`,
      [this.#model, value],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    if (row.consumed_at === null) return row.payload;
    return { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) };
  }
}

/** Deletes a grant and everything issued under it (codes, refresh tokens, stored access tokens). */
export async function revokeGrant(db: Queryable, grantId: string): Promise<void> {
  await db.query("DELETE FROM auth_oidc_payloads WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)", [grantId]);
}

/** Removes rows whose lifetime has passed; oidc-provider never asks for them again. */
export async function deleteExpired(db: Queryable): Promise<number> {
  const result = await db.query('DELETE FROM auth_oidc_payloads WHERE expires_at < now()');
  return result.rowCount;
}
