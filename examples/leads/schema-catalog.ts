import type { Queryable } from 'switchboard-mcp/sql';

/** One column as the database describes it. */
export interface CatalogColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly comment: string | null;
  /** `schema.table(column)` this column points at, when it is part of a foreign key. */
  readonly references: string | null;
}

/** One table and its columns. */
export interface CatalogTable {
  /** `schema.table`. */
  readonly name: string;
  readonly comment: string;
  readonly columns: readonly CatalogColumn[];
}

/** One schema and its tables. */
export interface CatalogSchema {
  readonly name: string;
  readonly comment: string;
  readonly tables: readonly CatalogTable[];
}

/** The schemas the leads database is made of, in reading order. */
export const SCHEMAS = [
  'crm',
  'voice',
  'billing',
  'healthcare',
  'real_estate',
  'salon',
  'hospitality',
  'home_services',
  'automotive',
  'reporting',
];

/** Every table, column and comment of the leads schemas, read from the database's own catalog. */
export async function readSchemaCatalog(db: Queryable): Promise<CatalogSchema[]> {
  const { rows } = await db.query<{
    schema: string;
    schema_comment: string | null;
    table: string;
    table_comment: string | null;
    columns: { name: string; type: string; nullable: boolean; comment: string | null; references: string | null }[];
  }>(
    `SELECT n.nspname AS schema, obj_description(n.oid, 'pg_namespace') AS schema_comment, c.relname AS table,
            obj_description(c.oid, 'pg_class') AS table_comment,
            (SELECT json_agg(json_build_object(
                'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'nullable', NOT a.attnotnull,
                'comment', col_description(c.oid, a.attnum),
                'references', (SELECT fn.nspname || '.' || fc.relname || '(' || fa.attname || ')'
                               FROM pg_constraint f
                               JOIN pg_class fc ON fc.oid = f.confrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                               JOIN pg_attribute fa ON fa.attrelid = f.confrelid
                                 AND fa.attnum = f.confkey[array_position(f.conkey, a.attnum)]
                               WHERE f.conrelid = c.oid AND f.contype = 'f' AND a.attnum = ANY (f.conkey)
                               ORDER BY f.conname LIMIT 1))
              ORDER BY a.attnum)
             FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname = ANY ($1::text[])
     ORDER BY array_position($1::text[], n.nspname::text), c.relname`,
    [SCHEMAS],
  );
  const schemas: { name: string; comment: string; tables: CatalogTable[] }[] = [];
  for (const row of rows) {
    let schema = schemas[schemas.length - 1];
    if (schema?.name !== row.schema) {
      schema = { name: row.schema, comment: row.schema_comment ?? '', tables: [] };
      schemas.push(schema);
    }
    schema.tables.push({ name: `${row.schema}.${row.table}`, comment: row.table_comment ?? '', columns: row.columns });
  }
  return schemas;
}

/** The overview a model reads first: each schema and each table with what it holds. */
export function schemaOverviewMarkdown(schemas: readonly CatalogSchema[]): string {
  const tables = schemas.reduce((n, s) => n + s.tables.length, 0);
  const lines = [`# The leads database: ${tables} tables in ${schemas.length} schemas`, ''];
  for (const schema of schemas) {
    lines.push(`## ${schema.name}`, '', schema.comment, '', '| table | what it holds |', '| --- | --- |');
    for (const table of schema.tables) lines.push(`| \`${table.name}\` | ${escapeCell(table.comment)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** One table in detail: its columns, types, nullability, meaning and references. */
export function tableMarkdown(table: CatalogTable): string {
  const lines = [
    `# ${table.name}`,
    '',
    table.comment,
    '',
    '| column | type | null | references | meaning |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const column of table.columns) {
    lines.push(
      `| \`${column.name}\` | ${column.type} | ${column.nullable ? 'yes' : 'no'} | ${column.references ?? ''} | ${escapeCell(column.comment ?? '')} |`,
    );
  }
  return lines.join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
