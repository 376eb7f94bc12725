import { NotFoundError } from '../protocol/errors.js';
import type { Icon, Params, ToolAnnotations } from '../protocol/messages.js';
import { text, toolResult } from '../server/content.js';
import { CORRELATION_META } from '../server/methods/tool-failure.js';
import type { Registration } from '../server/registry.js';
import type { JsonSchema } from '../server/schema.js';
import { jsonSchema } from '../server/schema.js';
import type { Switchboard } from '../server/switchboard.js';
import type { ToolOptions } from '../server/tool.js';
import type { Database } from './database.js';
import { DatabaseUnreachableError } from './db-errors.js';
import { prepareQuery } from './prepare-query.js';
import type { SqlInput, SqlQueryOptions } from './query-options.js';

/** A SQL tool: one read-only statement, its arguments, and how it is presented to the model. */
export interface SqlToolOptions<I extends SqlInput | undefined = undefined, C extends Record<string, unknown> = {}>
  extends SqlQueryOptions<I, C> {
  title?: string;
  /** Written for the model: what the tool returns and when to use it. */
  description: string;
  /**
   * Merged over the gateway's defaults: `readOnlyHint: true, destructiveHint: false, idempotentHint: true,
   * openWorldHint: false` (the statement runs in a read-only transaction against one database).
   */
  annotations?: ToolAnnotations;
  /** OAuth scopes a caller needs, e.g. `['leads:read']`; passed to `server.tool` (enforced by switchboard-mcp/auth). */
  scopes?: readonly string[];
  icons?: Icon[];
  _meta?: Params;
  /**
   * `rows` (default): `{ rows, truncated, nextCursor? }`. `one`: the first row itself, or a not-found error
   * (`notFound`) when there is none; `maxRows` is then 1.
   */
  result?: 'rows' | 'one';
  /** The not-found message for `result: 'one'` (default: `No result for these arguments.`). */
  notFound?: string;
}

const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/**
 * Registers a read-only SQL statement as a tool. The statement is checked against the live database first
 * (parsed and described, never run): a typo, a second statement or a write fails here with a message naming the
 * tool, and the tool's output schema comes from the result columns. Resolves once the tool is registered.
 */
export async function sqlTool<I extends SqlInput | undefined = undefined, C extends Record<string, unknown> = {}>(
  server: Switchboard,
  db: Database,
  options: SqlToolOptions<I, C>,
): Promise<Registration> {
  const one = options.result === 'one';
  const query = await prepareQuery(db, one ? { ...options, maxRows: 1, paginate: false } : options);
  const rowSchema = query.rowSchema;
  const outputSchema: JsonSchema = one
    ? rowSchema
    : {
        type: 'object',
        properties: {
          rows: { type: 'array', items: rowSchema },
          truncated: { type: 'boolean', description: 'More rows matched than were returned' },
          ...(query.paginated
            ? { nextCursor: { type: 'string', description: 'Pass as cursor to get the next page' } }
            : {}),
        },
        required: ['rows', 'truncated'],
      };
  const notFound = options.notFound ?? 'No result for these arguments.';
  const toolOptions: ToolOptions<typeof query.inputSchema, ReturnType<typeof jsonSchema>> = {
    description: options.description,
    input: query.inputSchema,
    output: jsonSchema(outputSchema),
    annotations: { ...READ_ONLY, ...options.annotations },
  };
  if (options.title !== undefined) toolOptions.title = options.title;
  if (options.scopes !== undefined) toolOptions.scopes = options.scopes;
  if (options.icons !== undefined) toolOptions.icons = options.icons;
  if (options._meta !== undefined) toolOptions._meta = options._meta;
  return server.tool(options.name, toolOptions, async (args, ctx) => {
    try {
      const { page, json } = await query.execute(args as Record<string, unknown>, ctx);
      if (!one) return toolResult({ content: [text(json)], structuredContent: page as unknown as Params });
      const row = page.rows[0];
      if (row === undefined) throw new NotFoundError(notFound);
      return toolResult({ content: [text(JSON.stringify(row))], structuredContent: row });
    } catch (error) {
      if (!(error instanceof DatabaseUnreachableError)) throw error;
      return toolResult({
        content: [text(error.message)],
        isError: true,
        _meta: { [CORRELATION_META]: error.correlationId },
      });
    }
  });
}
