import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ANONYMOUS } from '../protocol/auth.js';
import { ToolError } from '../protocol/errors.js';
import type { Context } from '../server/context.js';
import type { JsonSchema } from '../server/schema.js';
import type { CompiledQuery, Variant } from './compile-query.js';
import { compileQuery } from './compile-query.js';
import { checkCost } from './cost-guard.js';
import { CursorCodec } from './cursor.js';
import type { Database, Row } from './database.js';
import { badArgumentError, classify, DatabaseUnreachableError, lockTimeoutError, timeoutError } from './db-errors.js';
import type { QueryArgs, SqlInput, SqlQueryOptions } from './query-options.js';
import type { QueryPage, ShapedPage } from './result-page.js';
import { shapePage } from './result-page.js';

/** What a query reads of the request: who calls, when to stop, where to log. All optional outside a handler. */
export type QueryContext = Partial<Context>;

/**
 * A read-only statement checked against the live schema, ready to run with the gateway's safety: one read-only
 * transaction per call, server-side timeouts, the caller's identity, a pushed-down row limit, a byte cap and signed
 * keyset cursors. `sqlTool` registers one as a tool; call `run` directly to use one inside your own handler.
 */
export class PreparedQuery<I extends SqlInput | undefined = SqlInput | undefined> {
  readonly #q: CompiledQuery;

  /** @internal Use `prepareQuery()`. */
  constructor(compiled: CompiledQuery) {
    this.#q = compiled;
  }

  get name(): string {
    return this.#q.name;
  }
  /** The arguments, as validated: the input schema, plus `cursor` when paginated. */
  get inputSchema(): z.ZodObject {
    return this.#q.inputSchema;
  }
  /** The result columns PostgreSQL described, with their SQL types. */
  get columns(): readonly { readonly name: string; readonly type: string }[] {
    return this.#q.columns.map((c) => ({ name: c.name, type: c.type.name }));
  }
  /** JSON Schema of one row, derived from the result columns' types. */
  get rowSchema(): JsonSchema {
    return this.#q.rowSchema;
  }
  get paginated(): boolean {
    return this.#q.cursor !== undefined;
  }

  /** Runs the statement for these (already validated) arguments. */
  async run(args: QueryArgs<I>, ctx: QueryContext = {}): Promise<QueryPage> {
    return (await this.execute(args as Record<string, unknown>, ctx)).page;
  }

  /**
   * The cursor that continues after `row` (one this query returned for `args`), for a handler that cuts a page
   * short, e.g. to fill a page from several queries in turn. Undefined when the query is not paginated.
   */
  cursorAfter(args: QueryArgs<I>, row: Row): string | undefined {
    const codec = this.#q.cursor;
    if (codec === undefined) return undefined;
    const all = args as Record<string, unknown>;
    return cursorAt(codec, this.#variant(all), row, CursorCodec.digest(all));
  }

  /** The sort order the arguments pick (the only one when the order is not a choice). */
  #variant(args: Record<string, unknown>): Variant {
    const q = this.#q;
    return q.variants.get(q.orderArg === undefined ? '' : String(args[q.orderArg])) as Variant;
  }

  /** @internal `run`, plus the page's JSON text, made once for a tool result. */
  async execute(args: Record<string, unknown>, ctx: QueryContext): Promise<ShapedPage> {
    const q = this.#q;
    const variant = this.#variant(args);
    const values: (string | null)[] = [];
    for (let i = 0; i < q.sources.length; i++) {
      const source = q.sources[i] as CompiledQuery['sources'][number];
      const value = source.get === undefined ? args[source.key] : source.get(ctx as Context);
      values.push((q.serializers[i] as (value: unknown) => string | null)(value));
    }
    let statement = variant.first;
    // The arguments' digest binds a cursor to them; it is only needed when a cursor is read or made.
    let digest: string | undefined;
    if (q.cursor !== undefined && typeof args.cursor === 'string') {
      digest = CursorCodec.digest(args);
      const keys = q.cursor.decode(args.cursor, digest);
      if (keys.length !== variant.keys.length) throw new ToolError(`The cursor does not fit tool "${q.name}".`);
      variant.keys.forEach((key, i) => {
        values.push(key.serialize(keys[i]));
      });
      statement = variant.next ?? statement;
    }
    const preamble = q.preamble.forCaller(ctx.auth ?? ANONYMOUS);
    const signal = ctx.signal;
    let rows: Row[];
    try {
      if (q.costGuard !== undefined) await checkCost(q, preamble, statement, values, signal);
      rows = await q.executor.run(preamble, statement, values, signal);
    } catch (error) {
      throw this.#failure(error, args, ctx.logger, signal?.aborted === true);
    }
    const codec = q.cursor;
    const cursorAfter =
      codec === undefined ? undefined : (row: Row) => cursorAt(codec, variant, row, digest ?? CursorCodec.digest(args));
    return shapePage(rows, q.maxRows, q.maxBytes, cursorAfter, q.name);
  }

  #failure(error: unknown, args: Record<string, unknown>, logger: Logger | undefined, aborted: boolean): unknown {
    const q = this.#q;
    const failure = classify(error, aborted);
    switch (failure.kind) {
      case 'timeout':
        return timeoutError(q.name, q.timeoutMs);
      case 'lock-timeout':
        return lockTimeoutError(q.name, q.lockTimeoutMs);
      case 'cancelled':
        return new ToolError(`Tool "${q.name}" was cancelled before the query finished.`);
      case 'bad-argument': {
        const source = q.sources[failure.param - 1];
        if (source === undefined) return new ToolError(`The cursor does not fit tool "${q.name}"; start without it.`);
        if (source.get !== undefined) return error;
        const type = q.paramTypes[failure.param - 1];
        return badArgumentError(q.name, source.key, type?.name ?? 'its type', args[source.key]);
      }
      case 'unavailable': {
        const correlationId = randomUUID();
        logger?.error({ err: error, correlationId, tool: q.name }, 'database unavailable');
        return new DatabaseUnreachableError(q.name, correlationId);
      }
      default:
        return error;
    }
  }
}

/** The cursor that continues after `row` in `variant`'s order, bound to the arguments' digest. */
function cursorAt(codec: CursorCodec, variant: Variant, row: Row, digest: string): string {
  return codec.encode(
    variant.keys.map((key) => row[key.column]),
    digest,
  );
}

/**
 * Checks a read-only query against the live database (parse and describe, nothing runs) and prepares it: a typo,
 * a second statement or a write fails here, with a message naming the query.
 */
export async function prepareQuery<I extends SqlInput | undefined = undefined, C extends Record<string, unknown> = {}>(
  db: Database,
  options: SqlQueryOptions<I, C>,
): Promise<PreparedQuery<I>> {
  return new PreparedQuery<I>(
    await compileQuery(db, options as SqlQueryOptions<SqlInput | undefined, Record<string, unknown>>),
  );
}
