import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import { SwitchboardError } from '../protocol/errors.js';

export type Row = Record<string, unknown>;

/** One result column: its name and the PostgreSQL type OID (the same on PGlite and PostgreSQL). */
export interface Field {
  readonly name: string;
  readonly dataTypeID: number;
}

export interface QueryResult<R extends Row = Row> {
  readonly rows: R[];
  readonly fields: readonly Field[];
  /** Rows a command touched (INSERT/UPDATE/DELETE), or rows returned. */
  readonly rowCount: number;
}

/** Something SQL can be sent to: the database itself or one transaction on it. */
export interface Queryable {
  /** One statement with `$1`-style bound parameters (extended protocol: parameters are never interpolated). */
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A script of several statements without parameters (migrations, seeds). Never pass it caller input. */
  exec(script: string): Promise<void>;
}

export interface TransactionOptions {
  /** `BEGIN READ ONLY`: the server refuses every write inside. */
  readOnly?: boolean;
}

/** A PostgreSQL database, embedded (PGlite) or a server (pg pool): the same SQL and the same types on both. */
export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** PGlite extensions that ship with it (`@electric-sql/pglite/contrib/<name>`), loaded before start. */
export type PgliteExtension = 'pg_trgm' | 'citext' | 'pgcrypto' | 'btree_gin' | 'btree_gist' | 'fuzzystrmatch';

export interface DatabaseOptions {
  /** A `postgres://` URL: connect to that server through a pool. Without one, an embedded PGlite database. */
  url?: string;
  /** PGlite only: where the data lives (default `.switchboard/data`), or `memory` for a throwaway database. */
  dataDir?: string;
  /** PGlite only: contrib extensions to load (PostgreSQL servers load theirs with `CREATE EXTENSION`). */
  extensions?: readonly PgliteExtension[];
  /** PostgreSQL only: most pooled connections (default 10). */
  poolSize?: number;
  /** PostgreSQL only: how long to wait for a connection before failing (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * What the SQL gateway needs beneath the `Database` interface: the engine's own handle. Kept out of the public
 * interface (a module-private map) so that `Database` stays the small surface applications use.
 */
export type EngineHandle =
  | { readonly engine: 'pglite'; readonly pglite: PGlite }
  | { readonly engine: 'postgres'; readonly pool: Pool };

const handles = new WeakMap<Database, EngineHandle>();

/** @internal The engine beneath a database opened by `openDatabase()`, or undefined for any other object. */
export function engineHandle(db: Database): EngineHandle | undefined {
  return handles.get(db);
}

const INT8 = 20;
/** int8 (counts, ids) as a number where it is exact, as text beyond 2^53: never a silently rounded value. */
const parseInt8 = (value: string): number | string => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
};

/** Opens PGlite (no `url`) or a PostgreSQL pool (`url`), and checks that it answers. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url === undefined ? openPglite(options) : openPostgres(options.url, options);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions: NonNullable<PGliteOptions['extensions']> = {};
  for (const name of options.extensions ?? []) {
    const module = (await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, unknown>;
    extensions[name] = module[name] as never;
  }
  const dataDir = options.dataDir ?? '.switchboard/data';
  if (dataDir !== 'memory') {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dataDir, { recursive: true });
  }
  const db = await PGlite.create({
    ...(dataDir === 'memory' ? {} : { dataDir }),
    extensions,
    parsers: { [INT8]: parseInt8 },
  });
  return new PgliteDatabase(db);
}

class PgliteDatabase implements Database {
  readonly engine = 'pglite';
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
    handles.set(this, { engine: 'pglite', pglite: db });
  }

  async query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return toResult(await this.#db.query<R>(text, params as unknown[] | undefined));
  }

  async exec(script: string): Promise<void> {
    await this.#db.exec(script);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.#db.transaction(async (tx) => {
      if (options.readOnly) await tx.exec('SET TRANSACTION READ ONLY');
      return fn({
        query: async <R extends Row>(text: string, params?: readonly unknown[]) =>
          toResult(await tx.query<R>(text, params as unknown[] | undefined)),
        exec: async (script: string) => void (await tx.exec(script)),
      });
    });
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

function toResult<R extends Row>(result: {
  rows: R[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}): QueryResult<R> {
  return {
    rows: result.rows,
    fields: result.fields,
    rowCount: result.affectedRows || result.rows.length,
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  // An idle client that loses its server emits on the pool; without a listener that would crash the process.
  pool.on('error', () => {});
  const database = new PostgresDatabase(pool);
  handles.set(database, { engine: 'postgres', pool });
  try {
    await database.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new DatabaseUnavailableError(`Cannot reach PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
  }
  return database;
}

class PostgresDatabase implements Database {
  readonly engine = 'postgres';
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const result = await this.#pool.query<R>(text, params as unknown[] | undefined);
    return { rows: result.rows, fields: result.fields, rowCount: result.rowCount ?? result.rows.length };
  }

  async exec(script: string): Promise<void> {
    // Without parameters pg uses the simple query protocol, which runs several statements in one round trip.
    await this.#pool.query(script);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    // The pool only listens for errors on idle clients: without this, a server lost mid-transaction would throw
    // an uncaught 'error' event.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      const result = await fn(clientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection itself failed: it must not go back to the pool.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

function clientQueryable(client: PoolClient): Queryable {
  return {
    query: async <R extends Row>(text: string, params?: readonly unknown[]) => {
      const result = await client.query<R>(text, params as unknown[] | undefined);
      return { rows: result.rows, fields: result.fields, rowCount: result.rowCount ?? result.rows.length };
    },
    exec: async (script: string) => void (await client.query(script)),
  };
}

/** The URL without its password, for messages and logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}

/** The database could not be reached when it was opened. */
export class DatabaseUnavailableError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_DATABASE_UNAVAILABLE', message);
  }
}
