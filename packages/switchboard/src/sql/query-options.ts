import type { z } from 'zod';
import type { Context } from '../server/context.js';
import type { InferObject } from '../server/schema.js';
import type { CursorOptions } from './cursor.js';
import type { ParamRef, SqlText } from './named-params.js';

/** A tool's arguments: a zod object or a plain shape of zod fields. Each key is a `:name` in the SQL. */
export type SqlInput = z.ZodObject | z.ZodRawShape;

/**
 * Values bound from the request context instead of the model's arguments (the model cannot set them): one
 * function of the context per parameter, e.g. `{ me: (ctx) => ctx.auth.subject }`.
 */
export type ContextParams<C extends Record<string, unknown> = Record<string, unknown>> = {
  [K in keyof C]: (ctx: Context) => C[K];
};

type InputKeys<I> = I extends z.ZodObject ? keyof I['shape'] : I extends z.ZodRawShape ? keyof I : never;

/** The references a `sql` function receives: one per input field and per context value. */
export type ParamRefs<I extends SqlInput | undefined, C extends Record<string, unknown>> = {
  readonly [K in (InputKeys<I> | keyof C) & string]: ParamRef<K>;
};

/**
 * How plans are chosen for the statement on PostgreSQL (`plan_cache_mode` for its prepared statement):
 * - `custom` (default): parsed once per connection, planned for the actual values on every call. Safe for
 *   skewed data and selective searches, where one generic plan can be a full scan.
 * - `generic`: one plan for all values, cached per connection. Saves planning on hot point lookups whose best
 *   plan never depends on the value (a primary or unique key).
 * - `auto`: PostgreSQL's default: custom plans for five calls, then the generic one if it looks no worse.
 */
export type PlanMode = 'custom' | 'generic' | 'auto';

/** Who the caller is, inside the transaction, so that row-level security applies per caller. */
export interface IdentityOptions {
  /**
   * The setting that receives the caller's claims as JSON (`set_config(name, claims, true)`), read in SQL with
   * `current_setting('request.jwt.claims', true)::json ->> 'sub'`. Default `request.jwt.claims`; `false` skips it.
   */
  claims?: string | false;
  /** A role to switch to for the call (`SET LOCAL ROLE`), for example one that row-level security applies to. */
  role?: string;
}

/** Refuses a call before it runs when the planner expects it to be expensive (one extra `EXPLAIN` per call). */
export interface CostGuard {
  /** Most rows the planner may expect the statement (without the gateway's LIMIT) to produce. */
  maxRows?: number;
  /** Most total plan cost (PostgreSQL's arbitrary units) the limited statement may have. */
  maxCost?: number;
}

/** A read-only SQL statement with named parameters, and the limits it runs under. */
export interface SqlQueryOptions<I extends SqlInput | undefined = undefined, C extends Record<string, unknown> = {}> {
  /** Used in messages, logs and cursors: usually the tool's name. */
  name: string;
  /** Arguments; each key is a parameter of the SQL. Validated by the framework before the SQL runs. */
  input?: I;
  /**
   * One read-only statement (SELECT, VALUES or WITH … SELECT). Parameters are `:name` (`::casts` and quoted text
   * are left alone), or use the tagged template: `(p) => sql\`… WHERE phone = ${p.phone}\``. Values are always
   * bound (`$n`), never spliced into the text.
   */
  sql: string | ((p: ParamRefs<I, C>) => SqlText);
  /**
   * Parameters taken from the request context, e.g. `{ tenant: (ctx) => ctx.auth.claims.tenant }`. Write it before
   * `sql` so that a `sql` function sees its names.
   */
  context?: ContextParams<C>;
  /** Most rows returned (default 100). The statement runs with `LIMIT maxRows + 1`; more is marked truncated. */
  maxRows?: number;
  /** Most bytes of JSON rows returned (default 256 KiB); rows past it are dropped and the result is truncated. */
  maxBytes?: number;
  /** Server-side `statement_timeout` (default 5000 ms). */
  timeoutMs?: number;
  /** Server-side `lock_timeout` (default 1000 ms). */
  lockTimeoutMs?: number;
  /** Plan handling on PostgreSQL (default `custom`); see `PlanMode`. */
  plan?: PlanMode;
  /**
   * PostgreSQL's JIT compilation of the statement (default off). A plan whose estimated cost passes
   * `jit_above_cost` (100,000) spends 50–100 ms compiling before it runs, far longer than a tool's statement takes
   * to run; turn it on for long analytic statements, where compiling pays for itself.
   */
  jit?: boolean;
  /**
   * Sort order, applied by the gateway around the statement: `'created_at DESC, id DESC'` (result column names
   * only), or a choice made by an enum argument: `{ sort: { newest: 'created_at DESC, id DESC', name: 'name, id' } }`.
   * Required for pagination; end it with a unique column so the order is total.
   */
  orderBy?: string | Record<string, Record<string, string>>;
  /** Keyset pagination over `orderBy`: adds an optional `cursor` argument and `nextCursor` to the result. */
  paginate?: boolean | CursorOptions;
  /** The caller's identity inside the transaction (claims default on, no role switch by default). */
  identity?: IdentityOptions;
  /** Refuse calls the planner estimates as too large. */
  costGuard?: CostGuard;
}

/** The arguments `run` takes: the input's, plus `cursor` when paginated. */
export type QueryArgs<I extends SqlInput | undefined> = InferObject<I> & { cursor?: string };
