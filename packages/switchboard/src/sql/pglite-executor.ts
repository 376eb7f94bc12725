import type { PGlite } from '@electric-sql/pglite';
import type { Row } from './database.js';
import type { Description, Executor, Preamble, PreparedStatement } from './executor-contract.js';

type Parsers = Record<number, (text: string) => unknown>;
type Serializers = Record<number, (value: unknown) => string>;

const asText = (value: unknown): string => value as string;

/**
 * Embedded PGlite: the preamble and the statement in one transaction. PGlite runs one statement at a time, on the
 * JavaScript thread, and has no timer signals: `statement_timeout` is set but cannot fire, and a running statement
 * cannot be cancelled (docs/sql.md says so). Use PostgreSQL where runaway queries matter.
 */
export class PgliteExecutor implements Executor {
  readonly engine = 'pglite';
  readonly #db: PGlite;
  /** Per statement: the parsers and serializers passed to PGlite, built once. */
  readonly #codecs = new WeakMap<PreparedStatement, { parsers: Parsers; serializers: Serializers }>();

  constructor(db: PGlite) {
    this.#db = db;
  }

  async describe(text: string): Promise<Description> {
    const described = await this.#db.describeQuery(text);
    return {
      params: described.queryParams.map((param) => param.dataTypeID),
      columns: described.resultFields.map((field) => ({ name: field.name, oid: field.dataTypeID })),
    };
  }

  async run(preamble: Preamble, statement: PreparedStatement, values: readonly (string | null)[]): Promise<Row[]> {
    const codecs = this.#codecsOf(statement);
    return this.#db.transaction(async (tx) => {
      await tx.query(preamble.text, preamble.values as unknown[]);
      const result = await tx.query<Row>(statement.text, values as unknown[], codecs);
      const fields = result.fields;
      const expected = statement.columns;
      if (fields.length !== expected.length || fields.some((field, i) => field.dataTypeID !== expected[i]?.oid)) {
        throw new Error(`Result columns of ${statement.name} changed since the tool was registered`);
      }
      return result.rows;
    });
  }

  #codecsOf(statement: PreparedStatement): { parsers: Parsers; serializers: Serializers } {
    let codecs = this.#codecs.get(statement);
    if (codecs === undefined) {
      // Every column through the gateway's own parsers, every parameter as the text the gateway made: the same
      // values as on PostgreSQL.
      const parsers: Parsers = {};
      for (const column of statement.columns) parsers[column.oid] = column.parse;
      const serializers: Serializers = {};
      for (const oid of statement.paramOids) serializers[oid] = asText;
      codecs = { parsers, serializers };
      this.#codecs.set(statement, codecs);
    }
    return codecs;
  }
}
