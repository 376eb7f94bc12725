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

/** One migration given as text rather than a file (for code that ships its schema inside a package). */
export interface Migration {
  /** Sorts like a file name: `001_tasks`. */
  readonly name: string;
  readonly sql: string;
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
 * Applies the `NNN_name.sql` files of `dir` (or the given migrations) in order, each once, on PGlite or
 * PostgreSQL alike, in one transaction. A small runner rather than a library: the well-kept ones (node-pg-migrate, graphile-migrate)
 * drive `pg` clients and do not run on PGlite. Several instances starting at once serialise on an advisory lock;
 * a file changed after it was applied stops the run instead of being silently skipped.
 */
export async function migrate(
  db: Database,
  source: string | URL | readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const table = options.table ?? 'switchboard_migrations';
  if (!TABLE.test(table)) throw new MigrationError(`Migration table name "${table}" is not a plain identifier`);
  const migrations = Array.isArray(source)
    ? [...source].sort((a, b) => byNumber(a.name, b.name))
    : await readFolder(source as string | URL);
  const files = migrations.map((migration) => migration.name);
  const scripts = migrations.map((migration) => migration.sql);
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

async function readFolder(dir: string | URL): Promise<Migration[]> {
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const files = (await readdir(folder)).filter((name) => FILE.test(name)).sort(byNumber);
  return Promise.all(files.map(async (name) => ({ name, sql: await readFile(join(folder, name), 'utf8') })));
}

function byNumber(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b);
}
