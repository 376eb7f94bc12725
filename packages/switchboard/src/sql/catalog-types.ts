import type { ColumnType } from './column-types.js';
import { arrayOf, builtinType, enumType, textType } from './column-types.js';
import type { Queryable } from './database.js';

type PgTypeRow = {
  oid: number;
  name: string;
  kind: string;
  base: number;
  elem: number;
  category: string;
};

/**
 * Resolves type OIDs to `ColumnType`s: built-in types directly, others (enums, domains, arrays of them, extension
 * types such as citext) from `pg_type` and `pg_enum`. Runs at registration only.
 */
export async function resolveTypes(db: Queryable, oids: readonly number[]): Promise<Map<number, ColumnType>> {
  const resolved = new Map<number, ColumnType>();
  let pending = new Set<number>();
  for (const oid of oids) {
    const known = builtinType(oid);
    if (known === undefined) pending.add(oid);
    else resolved.set(oid, known);
  }
  const rows = new Map<number, PgTypeRow>();
  // Domains point at their base type and arrays at their element: a few rounds reach the built-in types.
  for (let round = 0; round < 4 && pending.size > 0; round++) {
    const found = await db.query<PgTypeRow>(
      `SELECT oid::int8 AS oid, typname AS name, typtype AS kind, typbasetype::int8 AS base, typelem::int8 AS elem,
              typcategory AS category
         FROM pg_type WHERE oid = ANY($1::oid[])`,
      [[...pending]],
    );
    const next = new Set<number>();
    for (const row of found.rows) {
      rows.set(row.oid, row);
      for (const ref of [row.kind === 'd' ? row.base : 0, row.category === 'A' ? row.elem : 0]) {
        if (ref !== 0 && builtinType(ref) === undefined && !rows.has(ref)) next.add(ref);
      }
    }
    pending = next;
  }
  const enumOids = [...rows.values()].filter((row) => row.kind === 'e').map((row) => row.oid);
  const labels = new Map<number, string[]>();
  if (enumOids.length > 0) {
    const found = await db.query<{ oid: number; label: string }>(
      'SELECT enumtypid::int8 AS oid, enumlabel AS label FROM pg_enum WHERE enumtypid = ANY($1::oid[]) ORDER BY enumtypid, enumsortorder',
      [enumOids],
    );
    for (const { oid, label } of found.rows) labels.set(oid, [...(labels.get(oid) ?? []), label]);
  }
  const build = (oid: number, depth: number): ColumnType => {
    const builtin = builtinType(oid);
    if (builtin !== undefined) return builtin;
    const row = rows.get(oid);
    if (row === undefined || depth > 4) return textType(`type ${oid}`);
    if (row.kind === 'e') return enumType(row.name, labels.get(oid) ?? []);
    if (row.kind === 'd') return { ...build(row.base, depth + 1), name: row.name };
    if (row.category === 'A' && row.elem !== 0) return arrayOf(build(row.elem, depth + 1));
    return textType(row.name);
  };
  for (const oid of oids) if (!resolved.has(oid)) resolved.set(oid, build(oid, 0));
  return resolved;
}
