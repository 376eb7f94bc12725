import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SwitchboardError } from '../protocol/errors.js';
import type { Database } from './database.js';

export interface MigrateOptions {
  /** The table that records applied migrations (default `switchboard_migrations`). */
  table?: string;
}

export interface MigrateResult {
  /** Files applied by this run, in order. */
  readonly applied: string[];
  /** Files that were applied earlier and left alone. */
  readonly skipped: string[];
}

/** A migration file was edited after it was applied, or failed to apply. */
export class MigrationError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_MIGRATION', message);
  }
}

const FILE = /^\d+[_-].+\.sql$/;
const TABLE = /^[a-z_][a-z0-9_]*$/;
/** Any fixed number: every process migrating the same database takes the same advisory lock. */
const LOCK_KEY = 7_300_115;

/**
 * Applies the `NNN_name.sql` files of `dir` in order, each once and each in its own transaction, on PGlite or
 * PostgreSQL alike. A small runner rather than a library: the well-kept ones (node-pg-migrate, graphile-migrate)
 * drive `pg` clients and do not run on PGlite. Several instances starting at once serialise on an advisory lock;
 * a file changed after it was applied stops the run instead of being silently skipped.
 */
export async function migrate(db: Database, dir: string | URL, options: MigrateOptions = {}): Promise<MigrateResult> {
  const table = options.table ?? 'switchboard_migrations';
  if (!TABLE.test(table)) throw new MigrationError(`Migration table name "${table}" is not a plain identifier`);
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const files = (await readdir(folder)).filter((name) => FILE.test(name)).sort(byNumber);
  const scripts = await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Map(
      (await tx.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${table}`)).rows.map((row) => [
        row.name,
        row.checksum,
      ]),
    );
    const applied: string[] = [];
    const skipped: string[] = [];
    for (const [index, name] of files.entries()) {
      const script = scripts[index] as string;
      const checksum = createHash('sha256').update(script).digest('hex');
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new MigrationError(`Migration ${name} was changed after it was applied; add a new migration instead`);
        }
        skipped.push(name);
        continue;
      }
      try {
        await tx.exec(script);
      } catch (error) {
        throw new MigrationError(`Migration ${name} failed: ${(error as Error).message}`);
      }
      await tx.query(`INSERT INTO ${table} (name, checksum) VALUES ($1, $2)`, [name, checksum]);
      applied.push(name);
    }
    return { applied, skipped };
  });
}

function byNumber(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b);
}
