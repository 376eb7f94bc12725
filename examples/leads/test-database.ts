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

/** Callers the tests act as: every team with or without PII, and one team only. */
export const CALLERS = {
  /** All teams, both scopes. */
  admin: { subject: 'ops-admin', scopes: ['leads:read', 'leads:pii'], claims: { sub: 'ops-admin', teams: ['*'] } },
  /** All teams, no PII scope: numbers and emails come back masked. */
  agent: { subject: 'ops-agent', scopes: ['leads:read'], claims: { sub: 'ops-agent', teams: ['*'] } },
  /** One team (the tests pick which through `teamCaller`). */
  team: (team: string) => ({
    subject: `rep-${team}`,
    scopes: ['leads:read', 'leads:pii'],
    claims: { sub: `rep-${team}`, team },
  }),
} as const;
