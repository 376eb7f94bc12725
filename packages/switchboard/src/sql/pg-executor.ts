import type { Pool, PoolClient } from 'pg';
import pg from 'pg';
import type { Row } from './database.js';
import type { Description, Executor, Preamble, PreparedStatement } from './executor-contract.js';
import type { WireConnection } from './pg-wire.js';
import { DescribeQuery, GatewayCall } from './pg-wire.js';

/** The parts of a pg client used here that @types/pg leaves out. */
interface WireClient {
  readonly connection: WireConnection;
  readonly processID: number | null;
  readonly secretKey: number | null;
  readonly host: string;
  readonly port: number;
  getTransactionStatus(): string | null;
}

/** PostgreSQL through the `pg` pool: one round trip per call, named statements parsed once per connection. */
export class PgExecutor implements Executor {
  readonly engine = 'postgres';
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async describe(text: string): Promise<Description> {
    return this.#withClient((client) => {
      const query = new DescribeQuery(text);
      client.query(query as never);
      return query.promise;
    });
  }

  async run(
    preamble: Preamble,
    statement: PreparedStatement,
    values: readonly (string | null)[],
    signal?: AbortSignal,
  ): Promise<Row[]> {
    try {
      return await this.#runOnce(preamble, statement, values, signal);
    } catch (error) {
      // A pooled connection can be dead without the pool knowing yet (the server restarted while it sat idle).
      // The statement is read-only, so running it once more on a fresh connection is safe.
      if (!isConnectionLevel(error) || signal?.aborted === true) throw error;
      return this.#runOnce(preamble, statement, values, signal);
    }
  }

  #runOnce(
    preamble: Preamble,
    statement: PreparedStatement,
    values: readonly (string | null)[],
    signal?: AbortSignal,
  ): Promise<Row[]> {
    return this.#withClient(async (client) => {
      const call = new GatewayCall(preamble, statement, values);
      let cancelling: Promise<void> | undefined;
      const onAbort = () => {
        cancelling = cancelBackend(client as unknown as WireClient);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        client.query(call as never);
        return await call.promise;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        // The connection goes back to the pool only once a cancel request can no longer hit the next call on it.
        if (cancelling !== undefined) await cancelling;
      }
    });
  }

  async #withClient<T>(use: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    // The pool listens for errors only on idle clients; one that loses its server while checked out (even one the
    // pool handed out just before noticing) would otherwise throw an uncaught 'error' and end the process.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const status = (client as unknown as WireClient).getTransactionStatus();
      if (status !== null && status !== 'I') {
        // Someone left this connection inside a transaction: our settings would leak into it. Never reuse it.
        broken = new Error(`A pooled connection was not idle (transaction status ${status})`);
        throw broken;
      }
      return await use(client);
    } catch (error) {
      if (isConnectionLevel(error)) broken = error as Error;
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }
}

/**
 * A server-reported error leaves the connection usable (the implicit transaction is rolled back at Sync); a socket
 * error or a FATAL one does not, and that connection must be destroyed rather than pooled.
 */
function isConnectionLevel(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  return error.severity === 'FATAL' || error.severity === 'PANIC';
}

/** Sends a CancelRequest for the client's backend on a connection of its own, as the protocol prescribes. */
function cancelBackend(client: WireClient): Promise<void> {
  if (client.processID === null || client.secretKey === null) return Promise.resolve();
  const { processID, secretKey } = client;
  return new Promise((resolve) => {
    const connection = new pg.Connection() as unknown as {
      connect(port: number | string, host?: string): void;
      cancel(processID: number, secretKey: number): void;
      end(): void;
      once(event: string, listener: () => void): void;
      on(event: string, listener: () => void): void;
    };
    // Bounded: a server that does not answer the cancel must not hold the pooled connection for long.
    const timer = setTimeout(() => {
      connection.end();
      resolve();
    }, 2_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('connect', () => connection.cancel(processID, secretKey));
    connection.once('end', done);
    connection.on('error', done);
    if (client.host.startsWith('/')) connection.connect(`${client.host}/.s.PGSQL.${client.port}`);
    else connection.connect(client.port, client.host);
  });
}
