import type { Row } from './database.js';
import type { Description, Preamble, PreparedStatement } from './executor-contract.js';

/** The parts of pg's (untyped) connection object a submittable query drives. */
export interface WireConnection {
  readonly stream: { cork?(): void; uncork?(): void };
  /** pg's own record of the named statements this connection has parsed (name → text). */
  readonly parsedStatements: Record<string, string>;
  parse(message: { name?: string; text: string }): void;
  bind(message: { statement?: string; values: readonly (string | null)[] }): void;
  describe(message: { type: 'S' | 'P'; name?: string }): void;
  execute(message: { portal?: string; rows?: number }): void;
  close(message: { type: 'S' | 'P'; name?: string }): void;
  sync(): void;
  on(event: 'parameterDescription', listener: (message: { dataTypeIDs: number[] }) => void): void;
  removeListener(event: 'parameterDescription', listener: (message: { dataTypeIDs: number[] }) => void): void;
}

interface WireField {
  name: string;
  dataTypeID: number;
}

/** pg calls these on the active query as the server's answers arrive (its "submittable" contract). */
abstract class Submittable<T> {
  readonly promise: Promise<T>;
  protected resolve!: (value: T) => void;
  #reject!: (error: Error) => void;
  #failed = false;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.#reject = reject;
    });
  }

  abstract submit(connection: WireConnection): void;
  handleRowDescription(_message: { fields: WireField[] }): void {}
  handleDataRow(_message: { fields: (string | null)[] }): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
  handleError(error: Error): void {
    this.fail(error);
  }
  handleReadyForQuery(): void {
    if (!this.#failed) this.finish();
  }
  /** Settles with an error once; pg's message handlers must never see a throw. */
  protected fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#reject(error);
  }
  protected abstract finish(): void;
}

/** Parse + Describe of an unnamed statement, then Sync: the statement is checked, never executed. */
export class DescribeQuery extends Submittable<Description> {
  readonly #text: string;
  #params: number[] = [];
  #columns: { name: string; oid: number }[] = [];
  #connection: WireConnection | undefined;
  readonly #onParams = (message: { dataTypeIDs: number[] }) => {
    this.#params = message.dataTypeIDs;
  };

  constructor(text: string) {
    super();
    this.#text = text;
  }

  submit(connection: WireConnection): void {
    this.#connection = connection;
    // pg does not route ParameterDescription to the active query; listen while this one is on the wire.
    connection.on('parameterDescription', this.#onParams);
    connection.parse({ text: this.#text });
    connection.describe({ type: 'S', name: '' });
    connection.sync();
  }

  override handleRowDescription(message: { fields: WireField[] }): void {
    this.#columns = message.fields.map((field) => ({ name: field.name, oid: field.dataTypeID }));
  }

  override handleError(error: Error): void {
    this.#connection?.removeListener('parameterDescription', this.#onParams);
    super.handleError(error);
  }

  protected finish(): void {
    this.#connection?.removeListener('parameterDescription', this.#onParams);
    this.resolve({ params: this.#params, columns: this.#columns });
  }
}

/**
 * One gateway call in one round trip: the preamble and the statement, both as named prepared statements, then a
 * single Sync. Both run in the implicit transaction the extended protocol opens and ends at Sync, so settings made
 * with `set_config(…, true)` last exactly for this statement; on an error the server rolls it back at Sync and the
 * connection is idle again, with no ROLLBACK round trip.
 */
export class GatewayCall extends Submittable<Row[]> {
  readonly #preamble: Preamble;
  readonly #statement: PreparedStatement;
  readonly #values: readonly (string | null)[];
  #connection: WireConnection | undefined;
  #collecting = false;
  readonly #rows: Row[] = [];

  constructor(preamble: Preamble, statement: PreparedStatement, values: readonly (string | null)[]) {
    super();
    this.#preamble = preamble;
    this.#statement = statement;
    this.#values = values;
  }

  submit(connection: WireConnection): void {
    this.#connection = connection;
    connection.stream.cork?.();
    try {
      prepareOnce(connection, this.#preamble.name, this.#preamble.text);
      connection.bind({ statement: this.#preamble.name, values: this.#preamble.values });
      connection.execute({});
      prepareOnce(connection, this.#statement.name, this.#statement.text);
      connection.bind({ statement: this.#statement.name, values: this.#values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({});
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
  }

  override handleRowDescription(message: { fields: WireField[] }): void {
    const expected = this.#statement.columns;
    const fields = message.fields;
    if (fields.length !== expected.length || fields.some((field, i) => field.dataTypeID !== expected[i]?.oid)) {
      // Named statements make the server refuse a changed result type; this is the last line of defence.
      this.fail(new Error(`Result columns of ${this.#statement.name} changed since the tool was registered`));
      return;
    }
    this.#collecting = true;
  }

  override handleDataRow(message: { fields: (string | null)[] }): void {
    if (!this.#collecting) return; // the preamble's own row
    const columns = this.#statement.columns;
    const values = message.fields;
    const row: Row = {};
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as PreparedStatement['columns'][number];
      const text = values[i];
      row[column.name] = text === null || text === undefined ? null : column.parse(text);
    }
    this.#rows.push(row);
  }

  protected finish(): void {
    const connection = this.#connection as WireConnection;
    connection.parsedStatements[this.#preamble.name] = this.#preamble.text;
    connection.parsedStatements[this.#statement.name] = this.#statement.text;
    this.resolve(this.#rows);
  }
}

/**
 * Parses a named statement unless this connection already has it. After a failed call we cannot know whether the
 * server kept the statement, so it is closed first (closing one that does not exist is not an error).
 */
function prepareOnce(connection: WireConnection, name: string, text: string): void {
  if (connection.parsedStatements[name] === text) return;
  connection.close({ type: 'S', name });
  connection.parse({ name, text });
}
