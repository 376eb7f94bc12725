import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../../sql/database.js';
import { UserError } from './errors.js';
import { dummyHash, hashPassword, verifyPassword } from './password-hash.js';

/** A user of the built-in authorization server, as listed (never with the password hash). */
export interface User {
  /** Stable identifier: the `sub` of every token issued to this user. */
  readonly id: string;
  readonly username: string;
  readonly createdAt: Date;
  /** What this user's access tokens carry beside the standard claims (`{ teams: ['emea'] }`). */
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface AddUserOptions {
  /** Compared without regard to case (stored in lower case). */
  username: string;
  /** At least 8 characters. Without one a random password is made and returned once. */
  password?: string;
  /**
   * Claims for this user's access tokens (a team, a tenant, roles), e.g. what a PostgreSQL row-level security
   * policy reads from `request.jwt.claims`. The standard claims (`sub`, `iss`, `aud`, `scope`, …) cannot be set.
   */
  claims?: Record<string, unknown>;
}

/** Claims the server sets itself; a user's own claims may not replace them. */
const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'client_id',
  'azp',
  'auth_time',
  'acr',
  'amr',
  'cnf',
]);

function checkClaims(claims: Record<string, unknown> | undefined): Record<string, unknown> {
  if (claims === undefined) return {};
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new UserError('User claims must be an object of claim names to JSON values');
  }
  for (const name of Object.keys(claims)) {
    if (RESERVED_CLAIMS.has(name)) throw new UserError(`The claim "${name}" is set by the server and cannot be given`);
  }
  return JSON.parse(JSON.stringify(claims)) as Record<string, unknown>;
}

type UserRow = {
  id: string;
  username: string;
  created_at: Date;
  claims: Record<string, unknown>;
};

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, createdAt: row.created_at, claims: row.claims ?? {} };
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 1024;

/** A password that is shown once: 24 random base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Adds a user (or, with `replace`, sets an existing user's password) and returns it with the password, which is
 * stored only as a scrypt hash. Needs the authorization server's migrations (`migrateAuthServer`).
 */
export async function addUser(
  db: Queryable,
  options: AddUserOptions,
  { replace = false }: { replace?: boolean } = {},
): Promise<User & { password: string }> {
  const username = options.username.toLowerCase();
  if (!USERNAME.test(username)) {
    throw new UserError(
      `Username "${username}" is not allowed: use 1-64 letters, digits or . _ @ + -, starting with a letter or digit`,
    );
  }
  const password = options.password ?? generatePassword();
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new UserError(`A password needs ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`);
  }
  const claims = checkClaims(options.claims);
  const hash = await hashPassword(password);
  const result = await db.query<UserRow>(
    `INSERT INTO auth_users (id, username, password_hash, claims) VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO ${replace ? 'UPDATE SET password_hash = EXCLUDED.password_hash, claims = EXCLUDED.claims' : 'NOTHING'}
     RETURNING id, username, created_at, claims`,
    [randomUUID(), username, hash, JSON.stringify(claims)],
  );
  const row = result.rows[0];
  if (row === undefined) throw new UserError(`User "${username}" already exists`);
  return { ...toUser(row), password };
}

/** Every user, oldest first. */
export async function listUsers(db: Queryable): Promise<User[]> {
  const result = await db.query<UserRow>(
    'SELECT id, username, created_at, claims FROM auth_users ORDER BY created_at, username',
  );
  return result.rows.map(toUser);
}

/** Removes a user and every grant, session and token issued to them; false when there was no such user. */
export async function removeUser(db: Queryable, username: string): Promise<boolean> {
  const result = await db.query<{ id: string }>('DELETE FROM auth_users WHERE username = $1 RETURNING id', [
    username.toLowerCase(),
  ]);
  const id = result.rows[0]?.id;
  if (id === undefined) return false;
  // Everything of the user's grants goes too, including the records of their JWT access tokens, which name only
  // the grant (issued-access-tokens.ts).
  await db.query(
    `DELETE FROM auth_oidc_payloads WHERE payload->>'accountId' = $1
       OR grant_id IN (SELECT id FROM auth_oidc_payloads WHERE model = 'Grant' AND payload->>'accountId' = $1)`,
    [id],
  );
  return true;
}

/** The user whose password this is, or undefined. Takes as long for an unknown username as for a wrong password. */
export async function checkPassword(db: Queryable, username: string, password: string): Promise<User | undefined> {
  const result = await db.query<UserRow & { password_hash: string }>(
    'SELECT id, username, password_hash, created_at, claims FROM auth_users WHERE username = $1',
    [username.toLowerCase()],
  );
  const row = result.rows[0];
  if (row === undefined || password.length > MAX_PASSWORD) {
    await verifyPassword(password.slice(0, MAX_PASSWORD), await dummyHash());
    return undefined;
  }
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  return toUser(row);
}

/** The user with this id (a token's `sub`), or undefined. */
export async function findUser(db: Queryable, id: string): Promise<User | undefined> {
  const result = await db.query<UserRow>('SELECT id, username, created_at, claims FROM auth_users WHERE id = $1', [id]);
  const row = result.rows[0];
  return row && toUser(row);
}

/**
 * First run: when there are no users yet, adds `demo` with a random password and returns it so it can be shown
 * once; afterwards (or once anyone exists) undefined.
 */
export async function ensureDemoUser(
  db: Queryable,
  username = 'demo',
  claims?: Record<string, unknown>,
): Promise<(User & { password: string }) | undefined> {
  const existing = await db.query('SELECT 1 FROM auth_users LIMIT 1');
  if (existing.rows.length > 0) return undefined;
  try {
    return await addUser(db, claims === undefined ? { username } : { username, claims });
  } catch (error) {
    // Another instance made the first user at the same moment.
    if (error instanceof UserError) return undefined;
    throw error;
  }
}
