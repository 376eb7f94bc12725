import { NotFoundError, type Switchboard } from 'switchboard-mcp';
import type { Database } from 'switchboard-mcp/sql';
import { READ_SCOPE } from '../caller.js';
import { readSchemaCatalog, schemaOverviewMarkdown, tableMarkdown } from '../schema-catalog.js';

/**
 * `leads://schema` (every table and what it holds) and `leads://schema/{table}` (one table's columns, types,
 * references and meanings), read once from the database's catalog and comments so they cannot drift from it.
 */
export async function registerSchemaResources(server: Switchboard, db: Database): Promise<void> {
  const schemas = await readSchemaCatalog(db);
  const tables = new Map(schemas.flatMap((schema) => schema.tables.map((table) => [table.name, table] as const)));
  const overview = schemaOverviewMarkdown(schemas);
  server.resource(
    'leads://schema',
    {
      name: 'schema',
      title: 'Leads database schema',
      description: `What each of the ${tables.size} tables of the leads database holds, by schema.`,
      mimeType: 'text/markdown',
      scopes: [READ_SCOPE],
    },
    () => overview,
  );
  server.resourceTemplate(
    'leads://schema/{table}',
    {
      name: 'table',
      title: 'Table',
      description:
        'One table of the leads database: columns, types, nullability, foreign keys and what each column means.',
      mimeType: 'text/markdown',
      scopes: [READ_SCOPE],
      complete: {
        table: (typed) => [...tables.keys()].filter((name) => name.includes(typed.trim().toLowerCase())).slice(0, 100),
      },
    },
    (_uri, { table }) => {
      const found = tables.get(table ?? '');
      if (found === undefined) {
        throw new NotFoundError(`No table "${table}": name it as schema.table, e.g. crm.leads (see leads://schema).`);
      }
      return tableMarkdown(found);
    },
  );
}
