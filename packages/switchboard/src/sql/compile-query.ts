import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../server/context.js';
import type { JsonSchema } from '../server/schema.js';
import { toJsonSchema, toObjectSchema } from '../server/schema.js';
import { resolveTypes } from './catalog-types.js';
import type { ColumnType } from './column-types.js';
import { nullable } from './column-types.js';
import { CursorCodec } from './cursor.js';
import type { Database } from './database.js';
import { checkInputKinds, describeOrFail } from './describe-check.js';
import { executorFor } from './executor.js';
import type { Description, Executor, PreparedStatement } from './executor-contract.js';
import type { CompiledSql } from './named-params.js';
import { compileNamed, compileTemplate, isSqlText, paramRefs } from './named-params.js';
import type { ParamSerializer } from './param-values.js';
import { serializerFor } from './param-values.js';
import { compilePreamble, type PreambleTemplate } from './preamble.js';
import type { CostGuard, SqlInput, SqlQueryOptions } from './query-options.js';
import type { OrderKey } from './runtime-sql.js';
import { parseOrderBy, runtimeText } from './runtime-sql.js';
import { SqlCheckError } from './sql-check-error.js';

/** Where the value of one `$n` comes from on each call. */
export type ParamSource = { readonly key: string; readonly get?: (ctx: Context) => unknown };

/** One sort order of a query: the statements for its first and its following pages. */
export interface Variant {
  readonly order: readonly OrderKey[];
  readonly first: PreparedStatement;
  readonly next: PreparedStatement | undefined;
  /** For each sort key: its column's position in a row's keys and how its value is bound again. */
  readonly keys: readonly { readonly column: string; readonly serialize: ParamSerializer }[];
}

/** Everything a query needs at call time, worked out once at registration. */
export interface CompiledQuery {
  readonly name: string;
  readonly executor: Executor;
  readonly inputSchema: z.ZodObject;
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
  readonly rowSchema: JsonSchema;
  readonly sources: readonly ParamSource[];
  readonly paramTypes: readonly ColumnType[];
  readonly serializers: readonly ParamSerializer[];
  /** The input field that picks the sort order, when `orderBy` is a choice. */
  readonly orderArg: string | undefined;
  readonly variants: ReadonlyMap<string, Variant>;
  readonly cursor: CursorCodec | undefined;
  readonly preamble: PreambleTemplate;
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly costGuard: CostGuard | undefined;
}

/** Checks a query against the live database and builds its statements; every failure names the query. */
export async function compileQuery(
  db: Database,
  options: SqlQueryOptions<SqlInput | undefined, Record<string, unknown>>,
): Promise<CompiledQuery> {
  const what = `SQL tool "${options.name}"`;
  try {
    return await compile(db, options, what);
  } catch (error) {
    if (error instanceof SqlCheckError && !error.message.startsWith(what)) {
      throw new SqlCheckError(`${what}: ${error.message}`);
    }
    if (error instanceof RangeError) throw new SqlCheckError(`${what}: ${error.message}`);
    throw error;
  }
}

async function compile(
  db: Database,
  options: SqlQueryOptions<SqlInput | undefined, Record<string, unknown>>,
  what: string,
): Promise<CompiledQuery> {
  const maxRows = positiveInteger(options.maxRows ?? 100, 'maxRows');
  const maxBytes = positiveInteger(options.maxBytes ?? 262_144, 'maxBytes');
  const timeoutMs = positiveInteger(options.timeoutMs ?? 5_000, 'timeoutMs');
  const lockTimeoutMs = positiveInteger(options.lockTimeoutMs ?? 1_000, 'lockTimeoutMs');
  const context = options.context ?? {};
  let input = toObjectSchema(options.input, `input schema of ${what}`);
  const inputKeys = Object.keys(input.shape);
  for (const key of Object.keys(context)) {
    if (inputKeys.includes(key)) throw new SqlCheckError(`"${key}" is both an input field and a context value`);
  }
  const compiled = compileSql(options.sql, [...inputKeys, ...Object.keys(context)]);
  const sources: ParamSource[] = compiled.params.map((key) => {
    if (inputKeys.includes(key)) return { key };
    const get = context[key];
    if (get === undefined) {
      throw new SqlCheckError(`the SQL uses :${key}, which is neither an input field nor a context value`);
    }
    return { key, get };
  });

  const { orderArg, orders } = readOrderBy(options.orderBy);
  const paginate = options.paginate ?? false;
  if (paginate !== false && orders.size === 0) throw new SqlCheckError('paginate needs orderBy (the keyset)');
  for (const key of inputKeys) {
    if (key === 'cursor' && paginate !== false) throw new SqlCheckError('"cursor" is reserved for pagination');
    if (!compiled.params.includes(key) && key !== orderArg) {
      throw new SqlCheckError(`input field "${key}" is not used in the SQL (write :${key} where it belongs)`);
    }
  }
  const inputJson = toJsonSchema(input, 'input', `input schema of ${what}`);
  if (orderArg !== undefined) checkOrderArg(orderArg, orders, inputJson);

  const executor = await executorFor(db);
  const raw = await describeOrFail(executor, compiled.text, what, compiled.params);
  checkColumns(raw);
  const types = await resolveTypes(db, [...raw.params, ...raw.columns.map((c) => c.oid)]);
  const paramTypes = raw.params.map((oid) => types.get(oid) as ColumnType);
  checkInputKinds(what, compiled.params, paramTypes, inputJson);
  const columns = raw.columns.map((c) => ({ name: c.name, type: types.get(c.oid) as ColumnType }));

  const variants = new Map<string, Variant>();
  for (const [choice, order] of orders.size > 0 ? orders : new Map([['', [] as OrderKey[]]])) {
    for (const key of order) {
      if (!columns.some((c) => c.name === key.column)) {
        throw new SqlCheckError(
          `orderBy names "${key.column}", which the SQL does not return (it returns ${columns.map((c) => c.name).join(', ')})`,
        );
      }
    }
    const first = await wrapped(executor, runtimeText(compiled.text, order, maxRows), what, compiled, raw, columns);
    let next: PreparedStatement | undefined;
    if (paginate !== false) {
      const text = runtimeText(compiled.text, order, maxRows, compiled.params.length + 1);
      next = await wrapped(executor, text, what, compiled, raw, columns);
    }
    const keys = order.map((key) => {
      const column = columns.find((c) => c.name === key.column) as (typeof columns)[number];
      return { column: key.column, serialize: serializerFor(column.type.kind) };
    });
    variants.set(choice, { order, first, next, keys });
  }

  if (paginate !== false) {
    input = input.extend({
      cursor: z
        .string()
        .optional()
        .describe('nextCursor from the previous page, to get the page after it; leave out for the first page'),
    });
  }
  const rowSchema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(columns.map((c) => [c.name, nullable(c.type.schema)])),
    required: columns.map((c) => c.name),
  };
  return {
    name: options.name,
    executor,
    inputSchema: input,
    columns,
    rowSchema,
    sources,
    paramTypes,
    serializers: paramTypes.map((type) => serializerFor(type.kind)),
    orderArg,
    variants,
    cursor: paginate === false ? undefined : new CursorCodec(options.name, paginate === true ? {} : paginate),
    preamble: compilePreamble({
      timeoutMs,
      lockTimeoutMs,
      plan: options.plan ?? 'custom',
      jit: options.jit ?? false,
      ...options.identity,
    }),
    maxRows,
    maxBytes,
    timeoutMs,
    lockTimeoutMs,
    costGuard: options.costGuard,
  };
}

function compileSql(source: SqlQueryOptions['sql'], names: readonly string[]): CompiledSql {
  if (typeof source === 'string') return compileNamed(source);
  if (typeof source === 'function') {
    const template = (source as (p: Record<string, unknown>) => unknown)(paramRefs(names));
    if (!isSqlText(template)) throw new SqlCheckError('the sql function must return a sql`…` template');
    return compileTemplate(template);
  }
  throw new SqlCheckError('sql must be a string or a function returning a sql`…` template');
}

function readOrderBy(orderBy: SqlQueryOptions['orderBy']): {
  orderArg: string | undefined;
  orders: Map<string, OrderKey[]>;
} {
  if (orderBy === undefined) return { orderArg: undefined, orders: new Map() };
  if (typeof orderBy === 'string') return { orderArg: undefined, orders: new Map([['', parseOrderBy(orderBy)]]) };
  const entries = Object.entries(orderBy);
  if (entries.length !== 1) {
    throw new SqlCheckError('orderBy as a choice names exactly one input field: { sort: { newest: "…", … } }');
  }
  const [[field, choices]] = entries as [[string, Record<string, string>]];
  return { orderArg: field, orders: new Map(Object.entries(choices).map(([key, spec]) => [key, parseOrderBy(spec)])) };
}

function checkOrderArg(field: string, orders: Map<string, OrderKey[]>, inputJson: JsonSchema): void {
  const schema = (inputJson.properties as Record<string, JsonSchema> | undefined)?.[field];
  const values = Array.isArray(schema?.enum) ? (schema.enum as unknown[]) : undefined;
  const choices = [...orders.keys()];
  if (values === undefined || values.length !== choices.length || !values.every((v) => orders.has(String(v)))) {
    throw new SqlCheckError(
      `orderBy is chosen by "${field}", which must be an input field z.enum([${choices.map((c) => `'${c}'`).join(', ')}])`,
    );
  }
}

function checkColumns(raw: Description): void {
  if (raw.columns.length === 0) {
    throw new SqlCheckError(
      'the SQL returns no rows; a SQL tool is one read-only query (SELECT, VALUES, WITH … SELECT)',
    );
  }
  const seen = new Set<string>();
  raw.columns.forEach((column, index) => {
    if (column.name === '?column?') {
      throw new SqlCheckError(`result column ${index + 1} has no name; give it one with AS`);
    }
    if (seen.has(column.name)) throw new SqlCheckError(`two result columns are named "${column.name}"; alias one`);
    seen.add(column.name);
  });
}

/** Describes a runtime text; it must return the raw statement's columns, which wrapping refuses for writes. */
async function wrapped(
  executor: Executor,
  text: string,
  what: string,
  compiled: CompiledSql,
  raw: Description,
  columns: readonly { name: string; type: ColumnType }[],
): Promise<PreparedStatement> {
  let described: Description;
  try {
    described = await describeOrFail(executor, text, what, compiled.params);
  } catch (error) {
    if (!(error instanceof SqlCheckError)) throw error;
    throw new SqlCheckError(
      `${what}: only a read-only query can be a SQL tool (SELECT, VALUES, or WITH … SELECT without INSERT, UPDATE or DELETE); ${error.message.slice(what.length + 2)}`,
    );
  }
  const same =
    described.columns.length === raw.columns.length &&
    described.columns.every((c, i) => c.name === raw.columns[i]?.name && c.oid === raw.columns[i]?.oid);
  if (!same) throw new SqlCheckError(`${what}: the statement's columns changed when the gateway limited it`);
  return {
    name: `sb_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
    text,
    columns: columns.map((c, i) => ({ name: c.name, oid: raw.columns[i]?.oid as number, parse: c.type.parse })),
    paramOids: described.params,
  };
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new SqlCheckError(`${option} must be a positive integer`);
  return value;
}
