import type { SwitchboardOptions } from 'switchboard-mcp';
import type { Database, DatabaseOptions } from 'switchboard-mcp/sql';
import { migrate, openDatabase } from 'switchboard-mcp/sql';
import { anchorNight } from './seed/generate.js';
import { seedVoiceEval } from './seed/seed.js';

/** The example's migrations, applied in order by `migrate()`. */
export const MIGRATIONS = new URL('../migrations/', import.meta.url);
/** Where the embedded database lives by default, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.switchboard/voice-eval';

export interface PrepareOptions {
  /** The moment seeded data is relative to (default: now). */
  readonly now?: Date;
  readonly logger?: SwitchboardOptions['logger'];
}

/**
 * Migrates the database and seeds it when it holds no agents yet. A demo seed from an earlier night is replaced
 * (in one transaction), so "the last 7 days" keeps meaning something; data that did not come from the seed is
 * never touched.
 */
export async function prepareDatabase(
  db: Database,
  options: PrepareOptions = {},
): Promise<'seeded' | 'reseeded' | 'kept'> {
  const now = options.now ?? new Date();
  const { applied } = await migrate(db, MIGRATIONS);
  if (applied.length > 0) options.logger?.info({ applied }, 'migrations applied');
  const agents = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM agents')).rows[0]?.n ?? 0;
  if (agents === 0) {
    const summary = await seedVoiceEval(db, { now });
    options.logger?.info({ ...summary.counts, anchor: summary.anchor }, 'seeded the demo eval data');
    return 'seeded';
  }
  const seed = (await db.query<{ anchor: Date; faker_seed: number }>('SELECT anchor, faker_seed FROM seed_info'))
    .rows[0];
  if (seed === undefined || anchorNight(now).getTime() <= seed.anchor.getTime()) return 'kept';
  const summary = await seedVoiceEval(db, { now, fakerSeed: seed.faker_seed, replace: true });
  options.logger?.info({ ...summary.counts, anchor: summary.anchor }, 'replaced a stale demo seed');
  return 'reseeded';
}

/** Opens PostgreSQL when `url` is set, else PGlite in `dataDir` (default `.switchboard/voice-eval`). */
export function openVoiceEvalDatabase(url: string | undefined, dataDir = DEFAULT_DATA_DIR): Promise<Database> {
  const options: DatabaseOptions = url === undefined ? { dataDir } : { url };
  return openDatabase(options);
}
