import type { Queryable } from '../../sql/database.js';

/**
 * JWT access tokens are self-contained, so oidc-provider keeps no record of them and cannot revoke them (its
 * introspection refuses structured tokens). To make a revoked grant (a reused code or refresh token, a revoked
 * refresh token) end its access tokens too, each one issued under a grant leaves a row with the grant's id: the
 * grant's revocation deletes the rows with the grant's other artefacts, and `builtInAuthServer()` asks whether
 * a token's `jti` still has one. OAuth 2.1 §4.1.3: a reused code SHOULD revoke the tokens issued from it.
 */
export const ISSUED_ACCESS_TOKEN = 'IssuedAccessToken';

/** Records an access token issued under a grant, until it expires (`exp`, seconds since the epoch). */
export async function recordIssuedAccessToken(db: Queryable, jti: string, grantId: string, exp: number) {
  await db.query(
    `INSERT INTO auth_oidc_payloads (model, id, payload, grant_id, expires_at)
     VALUES ($1, $2, '{}'::jsonb, $3, to_timestamp($4)) ON CONFLICT (model, id) DO NOTHING`,
    [ISSUED_ACCESS_TOKEN, jti, grantId, exp],
  );
}

/** Whether an access token of this server (by `jti`) is unexpired and its grant not revoked. */
export async function isAccessTokenActive(db: Queryable, jti: string): Promise<boolean> {
  const result = await db.query(
    'SELECT 1 FROM auth_oidc_payloads WHERE model = $1 AND id = $2 AND expires_at > now()',
    [ISSUED_ACCESS_TOKEN, jti],
  );
  return result.rows.length > 0;
}
