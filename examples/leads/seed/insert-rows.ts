import type { Queryable } from 'switchboard-mcp/sql';

/** A column of a bulk insert: its name and the SQL type its text values are cast to. */
export type Column = readonly [name: string, type: string];

const ROWS_PER_STATEMENT = 5_000;

/**
 * Inserts rows with one statement per 5,000 rows: each column travels as one bound text[] parameter and is
 * unnested and cast server-side, which is as fast as a multi-row VALUES list without its 65,535-parameter limit,
 * and works the same on PGlite and PostgreSQL.
 */
export async function insertRows(
  db: Queryable,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  // Timestamps travel as epoch milliseconds: formatting millions of ISO strings was most of the seed's own CPU.
  const casts = columns
    .map(
      ([name, type], i) =>
        (type === 'timestamp with time zone' || type === 'timestamptz'
          ? `to_timestamp(c${i}::float8 / 1000)`
          : `c${i}::${type}`) + ` AS ${name}`,
    )
    .join(', ');
  const unnest = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${casts} FROM unnest(${unnest}) AS u(${aliases})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    // One array literal per column, built here: pg would otherwise escape every element through two regexes.
    const params = columns.map(([, type], i) => arrayLiteral(chunk, i, type === 'jsonb' || type === 'json'));
    await db.query(sql, params);
  }
}

function arrayLiteral(rows: readonly (readonly unknown[])[], column: number, json: boolean): string {
  const parts = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const value = rows[r]![column];
    if (value === null || value === undefined) parts[r] = 'NULL';
    else if (typeof value === 'number' || typeof value === 'boolean') parts[r] = String(value);
    else if (value instanceof Date) parts[r] = String(value.getTime());
    else if (typeof value === 'string') parts[r] = quote(json ? JSON.stringify(value) : value);
    else parts[r] = quote(Array.isArray(value) && !json ? pgArray(value) : JSON.stringify(value));
  }
  return `{${parts.join(',')}}`;
}

/** An element of an array literal: always quoted (commas, braces, spaces, the word NULL), \\ and " escaped. */
function quote(text: string): string {
  return /["\\]/.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
}

/** A text[] value, itself as a PostgreSQL array literal (the element of a text[] column). */
function pgArray(items: readonly unknown[]): string {
  return `{${items.map((item) => quote(String(item))).join(',')}}`;
}

/**
 * Row objects per table, flushed in a fixed table order that respects foreign keys; column types come from the
 * database's own catalog, so the generators cannot drift from the migrations unnoticed.
 */
export class RowBuffer {
  readonly #tables: Map<string, Record<string, unknown>[]>;

  constructor(order: readonly string[]) {
    this.#tables = new Map(order.map((table) => [table, []]));
  }

  add(table: string, row: Record<string, unknown>): void {
    const rows = this.#tables.get(table);
    if (rows === undefined) throw new Error(`${table} is not in the seed's table order`);
    rows.push(row);
  }

  /** Number of rows buffered. */
  get size(): number {
    let total = 0;
    for (const rows of this.#tables.values()) total += rows.length;
    return total;
  }

  /** Inserts every table's rows in the table order, then empties the buffer. */
  async flush(db: Queryable, types: ColumnTypes): Promise<void> {
    for (const [table, rows] of this.#tables) {
      if (rows.length === 0) continue;
      const names = Object.keys(rows[0]!);
      const columns: Column[] = [];
      for (const name of names) columns.push([name, await types.of(db, table, name)]);
      await insertRows(
        db,
        table,
        columns,
        rows.map((row) => names.map((name) => row[name])),
      );
      rows.length = 0;
    }
  }
}

/** The SQL type of each column, read once per table from pg_attribute. */
export class ColumnTypes {
  readonly #cache = new Map<string, Map<string, string>>();

  async of(db: Queryable, table: string, column: string): Promise<string> {
    let columns = this.#cache.get(table);
    if (columns === undefined) {
      const { rows } = await db.query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [table],
      );
      columns = new Map(rows.map((row) => [row.name, row.type]));
      this.#cache.set(table, columns);
    }
    const type = columns.get(column);
    if (type === undefined) throw new Error(`The seed writes ${table}.${column}, which the schema does not have`);
    return type;
  }
}
