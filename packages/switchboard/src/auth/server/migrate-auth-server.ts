import type { Database } from '../../sql/database.js';
import type { MigrateResult } from '../../sql/migrate.js';
import { migrate } from '../../sql/migrate.js';

/**
 * The migrations folder, found from both `src/auth/server` (sources) and `dist/auth/server` (the build): both sit
 * three levels below the package root, and the SQL files ship under `src`.
 */
const MIGRATIONS = new URL('../../../src/auth/server/migrations/', import.meta.url);

/**
 * Creates or updates the authorization server's tables (users, keys, grants, sessions, clients) in `db`. Its own
 * migration table keeps it apart from an application's migrations in the same database.
 */
export function migrateAuthServer(db: Database): Promise<MigrateResult> {
  return migrate(db, MIGRATIONS, { table: 'switchboard_auth_migrations' });
}
