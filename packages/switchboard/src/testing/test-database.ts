import { randomBytes } from 'node:crypto';
import type { Database, PgliteExtension } from '../sql/database.js';
import { openDatabase } from '../sql/database.js';

export interface TestDatabaseOptions {
  /**
   * A PostgreSQL server to test against (for example `process.env.DATABASE_URL`): a fresh database is created on it
   * and dropped by `dispose()`. Without one, an in-memory PGlite database.
   */
  url?: string;
  /** Extensions the tests need: loaded into PGlite, or created in the fresh PostgreSQL database. */
  extensions?: readonly PgliteExtension[];
}

/** A throwaway database: test files running in parallel each get their own. */
export interface TestDatabase extends Database {
  /** The fresh database's URL (PostgreSQL only), for code under test that opens its own connections. */
  readonly url: string | undefined;
  /** Closes it and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

let template: Promise<Blob> | undefined;

/**
 * An initialised, empty PGlite data directory, made once per machine and PGlite version and kept in the temp
 * folder: starting from it skips `initdb`, most of a new PGlite database's start-up time. Written to a temporary
 * name and renamed, so test files starting at once never read half a file.
 */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const [{ readFile, rename, writeFile }, { tmpdir }, { join }, { createRequire }] = await Promise.all([
      import('node:fs/promises'),
      import('node:os'),
      import('node:path'),
      import('node:module'),
    ]);
    // The package does not export its package.json; its entry point sits in dist/, one folder below it.
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const manifest = await readFile(join(entry, '..', '..', 'package.json'), 'utf8');
    const { version } = JSON.parse(manifest) as { version: string };
    const file = join(tmpdir(), `switchboard-pglite-template-${version}.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      const { PGlite } = await import('@electric-sql/pglite');
      const fresh = await PGlite.create();
      const dump = await fresh.dumpDataDir('none');
      await fresh.close();
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    }
  })();
  return template;
}

/** Opens an isolated database for one test file: PGlite in memory, or a new database on a PostgreSQL server. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (options.url === undefined) {
    const template = await pgliteTemplate();
    const db = await openDatabase({ dataDir: 'memory', extensions: options.extensions ?? [], template });
    return Object.assign(db, { url: undefined, dispose: () => db.close() });
  }
  const name = `switchboard_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ url: options.url, poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(options.url);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  for (const extension of options.extensions ?? []) await db.exec(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  const dispose = async () => {
    await db.close();
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  };
  return Object.assign(db, { url: url.toString(), dispose });
}
