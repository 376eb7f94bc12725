import type { Row } from './database.js';

/** What PostgreSQL says about a statement without running it: parameter and result column types. */
export interface Description {
  readonly params: readonly number[];
  readonly columns: readonly { readonly name: string; readonly oid: number }[];
}

/** One statement as the gateway runs it, built at registration. */
export interface PreparedStatement {
  /** Name of the server-side prepared statement (PostgreSQL), derived from the text. */
  readonly name: string;
  readonly text: string;
  /** The result columns expected, in order, each with the parser for its text form. */
  readonly columns: readonly {
    readonly name: string;
    readonly oid: number;
    readonly parse: (text: string) => unknown;
  }[];
  /** The parameters' type OIDs, in order. */
  readonly paramOids: readonly number[];
}

/**
 * The per-call transaction preamble: one `SELECT set_config(…)` that makes the transaction read-only and sets
 * timeouts, plan cache mode, caller claims and role, run in the same transaction just before the statement.
 */
export interface Preamble {
  readonly name: string;
  readonly text: string;
  readonly values: readonly (string | null)[];
}

/** Runs gateway statements on one engine. */
export interface Executor {
  readonly engine: 'pglite' | 'postgres';
  /** Parses and describes `text` (extended protocol: more than one statement is refused by PostgreSQL itself). */
  describe(text: string): Promise<Description>;
  /**
   * Runs the preamble and the statement in one read-only transaction and returns the rows. `signal` aborting
   * asks the server to cancel the statement (PostgreSQL); PGlite cannot interrupt a running statement.
   */
  run(
    preamble: Preamble,
    statement: PreparedStatement,
    values: readonly (string | null)[],
    signal?: AbortSignal,
  ): Promise<Row[]>;
}
