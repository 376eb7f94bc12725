import { type Database, migrate, openDatabase } from 'switchboard-mcp/sql';

/** The schema's migrations, applied in order by `migrate()`. */
export const MIGRATIONS = new URL('./migrations/', import.meta.url);

/** Where the leads database lives. */
export interface LeadsDatabaseOptions {
  /** A PostgreSQL URL; without one, embedded PGlite. */
  url?: string;
  /** PGlite only: where its files live (default `.switchboard/leads`), or `memory`. */
  dataDir?: string;
}

/** Opens the leads database (PGlite with pg_trgm, or PostgreSQL) and brings its schema up to date. */
export async function openLeadsDatabase(options: LeadsDatabaseOptions = {}): Promise<Database> {
  const db = await openDatabase({
    ...(options.url === undefined ? { dataDir: options.dataDir ?? '.switchboard/leads' } : { url: options.url }),
    extensions: ['pg_trgm'],
  });
  try {
    await migrate(db, MIGRATIONS);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
