import type { JWK } from 'jose';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Database, Queryable } from '../../sql/database.js';

/** The JWS algorithms access tokens may be signed with (asymmetric only, RFC 9068 §2.1 forbids `none`). */
export type SigningAlgorithm = 'ES256' | 'EdDSA';

/** The stored keys as the provider takes them: private JWKs with `kid`, `alg` and `use`. */
export interface SigningKeySet {
  /** The key that signs now: access tokens name it by kid, and it comes first so ID tokens pick it too. */
  readonly current: { kid: string; alg: SigningAlgorithm };
  /** Every unretired key, the current one first; the others are there so tokens signed before a rotation verify. */
  readonly keys: JWK[];
}

type KeyRow = {
  kid: string;
  alg: SigningAlgorithm;
  private_jwk: JWK;
  signs_from: Date;
};

/** Any fixed number: instances creating the first key at once serialise on it. */
const LOCK_KEY = 7_300_116;

async function newKey(tx: Queryable, alg: SigningAlgorithm, signsFrom: Date): Promise<void> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  await tx.query('INSERT INTO auth_signing_keys (kid, alg, private_jwk, signs_from) VALUES ($1, $2, $3::jsonb, $4)', [
    kid,
    alg,
    JSON.stringify(jwk),
    signsFrom,
  ]);
}

/**
 * The persisted signing keys, making the first one (`alg`) when there is none that signs yet. Keys live in the
 * database so every instance signs with the same key and a restart does not invalidate issued tokens.
 */
export async function loadSigningKeys(db: Database, alg: SigningAlgorithm): Promise<SigningKeySet> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    let rows = await unretired(tx);
    if (!rows.some((row) => row.signs_from.getTime() <= Date.now())) {
      await newKey(tx, alg, new Date(0));
      rows = await unretired(tx);
    }
    const signer = rows.find((row) => row.signs_from.getTime() <= Date.now())!;
    const others = rows.filter((row) => row !== signer);
    return {
      current: { kid: signer.kid, alg: signer.alg },
      keys: [signer, ...others].map((row) => ({
        ...row.private_jwk,
        kid: row.kid,
        alg: row.alg,
        use: 'sig',
      })),
    };
  });
}

async function unretired(tx: Queryable): Promise<KeyRow[]> {
  const result = await tx.query<KeyRow>(
    'SELECT kid, alg, private_jwk, signs_from FROM auth_signing_keys WHERE retired_at IS NULL ORDER BY signs_from DESC, created_at DESC',
  );
  return result.rows;
}

export interface RotateOptions {
  /** Algorithm of the new key (default: the current key's). */
  alg?: SigningAlgorithm;
  /**
   * When the new key starts signing (default now). Until then it is only published, so resource servers that cache
   * the JWKS pick it up before the first token signed with it reaches them.
   */
  signsFrom?: Date;
}

/** Adds a new signing key; the previous ones keep verifying until {@link retireSigningKeys}. Returns its kid. */
export async function rotateSigningKey(db: Database, options: RotateOptions = {}): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const latest = (await unretired(tx))[0];
    await newKey(tx, options.alg ?? latest?.alg ?? 'ES256', options.signsFrom ?? new Date());
    return (await unretired(tx))[0]!.kid;
  });
}

/**
 * Retires every key that stopped signing before `before` (default now): it leaves the JWKS, so tokens it signed no
 * longer verify. Call it once the longest access-token lifetime has passed since a rotation.
 */
export async function retireSigningKeys(db: Database, before = new Date()): Promise<string[]> {
  const { rows } = await db.query<{ kid: string }>(
    `UPDATE auth_signing_keys k SET retired_at = now()
     WHERE retired_at IS NULL AND EXISTS (
       SELECT 1 FROM auth_signing_keys newer
       WHERE newer.retired_at IS NULL AND newer.signs_from > k.signs_from AND newer.signs_from <= $1
     )
     RETURNING kid`,
    [before],
  );
  return rows.map((row) => row.kid);
}
