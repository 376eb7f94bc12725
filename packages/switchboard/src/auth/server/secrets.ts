import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../sql/database.js';

/**
 * A random secret made on first use and shared through the database, so every instance signs cookies and CSRF
 * tokens alike and a restart does not sign everyone out.
 */
export async function sharedSecret(db: Queryable, name: string): Promise<Buffer> {
  await db.query('INSERT INTO auth_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM auth_secrets WHERE name = $1', [name]);
  return Buffer.from(rows[0]!.value, 'base64url');
}
