import { SqlCheckError } from './sql-check-error.js';

/** One sort key of `orderBy`: a result column and its direction. */
export interface OrderKey {
  readonly column: string;
  readonly descending: boolean;
}

const KEY = /^\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))(?:\s+(ASC|DESC))?\s*$/i;

/**
 * Parses `created_at DESC, id DESC`: result column names (plain, which PostgreSQL folds to lower case, or
 * "Quoted"), each optionally ASC or DESC. Nothing else is accepted, so an ORDER BY can never carry an expression.
 */
export function parseOrderBy(spec: string): OrderKey[] {
  const keys = spec.split(',').map((part) => {
    const match = KEY.exec(part);
    if (match === null) {
      throw new SqlCheckError(
        `orderBy "${spec}": each key must be a result column name, optionally followed by ASC or DESC`,
      );
    }
    const column = match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] as string).toLowerCase();
    return { column, descending: match[3]?.toUpperCase() === 'DESC' };
  });
  return keys;
}

/** A name as a quoted SQL identifier: `Name` → `"Name"`, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const ALIAS = 'sb_rows';

/**
 * The text that runs: the tool's statement as a subquery, with the gateway's keyset predicate, ORDER BY and
 * `LIMIT maxRows + 1` around it. The extra row tells a full page from the last one without counting.
 * `keysetFrom` is the number of the first keyset parameter (`$n`), present on pages after the first.
 */
export function runtimeText(base: string, order: readonly OrderKey[], limit: number, keysetFrom?: number): string {
  const column = (key: OrderKey) => `${ALIAS}.${quoteIdent(key.column)}`;
  // The newline before ")" keeps a trailing "-- comment" in the tool's SQL from swallowing the wrapper.
  let text = `SELECT * FROM (\n${base}\n) AS ${ALIAS}`;
  if (keysetFrom !== undefined) text += `\nWHERE ${keysetPredicate(order, keysetFrom, column)}`;
  if (order.length > 0) {
    text += `\nORDER BY ${order.map((key) => `${column(key)}${key.descending ? ' DESC' : ''}`).join(', ')}`;
  }
  return `${text}\nLIMIT ${limit + 1}`;
}

/**
 * Rows strictly after the last one seen. With one direction this is a row comparison, which a btree index on the
 * keys serves directly; mixed directions expand into the equivalent OR of prefixes.
 */
function keysetPredicate(order: readonly OrderKey[], first: number, column: (key: OrderKey) => string): string {
  const param = (index: number) => `$${first + index}`;
  const descending = order[0]?.descending ?? false;
  if (order.every((key) => key.descending === descending)) {
    const op = descending ? '<' : '>';
    if (order.length === 1) return `${column(order[0] as OrderKey)} ${op} ${param(0)}`;
    return `(${order.map(column).join(', ')}) ${op} (${order.map((_, i) => param(i)).join(', ')})`;
  }
  const branches = order.map((key, i) => {
    const equal = order.slice(0, i).map((prefix, j) => `${column(prefix)} = ${param(j)}`);
    return [...equal, `${column(key)} ${key.descending ? '<' : '>'} ${param(i)}`].join(' AND ');
  });
  return `(${branches.map((branch) => `(${branch})`).join(' OR ')})`;
}
