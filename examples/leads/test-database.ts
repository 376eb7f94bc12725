import { migrate } from 'switchboard-mcp/sql';
import { createTestDatabase, type TestDatabase } from 'switchboard-mcp/testing';
import { MIGRATIONS } from './database.js';
import { type SeedOptions, seedLeadsDatabase } from './seed/index.js';

/** A fresh leads database for one test file (PGlite in memory, or a new database on `url`), migrated and seeded small. */
export async function createLeadsTestDatabase(
  url: string | undefined,
  seed: SeedOptions = { leads: 300 },
): Promise<TestDatabase> {
  const db = await createTestDatabase({ url, extensions: ['pg_trgm'] });
  await migrate(db, MIGRATIONS);
  await seedLeadsDatabase(db, seed);
  return db;
}
