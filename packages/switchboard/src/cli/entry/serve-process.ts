import type { Logger } from 'pino';
import type { ServeOptions } from '../../transports/http/serve.js';
import type { ServableServer } from './servable.js';

/** How a process serves: Streamable HTTP with its options, or stdio on the process's own stdin/stdout. */
export type ProcessServeOptions = ({ transport: 'http' } & ServeOptions) | { transport: 'stdio' };

/** A server this process is serving. */
export interface ServingProcess {
  /** The endpoint URL over HTTP; undefined over stdio. */
  readonly url: string | undefined;
  /** Settles once serving has ended: stdin closed (stdio), or SIGINT/SIGTERM and a graceful close (HTTP). */
  readonly closed: Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Serves `server` for the life of this process. SIGINT and SIGTERM end it gracefully: over HTTP new connections
 * are refused and calls in flight finish; over stdio input stops and calls in flight drain. A second signal, with
 * no handler left, ends the process at once, as Node does by default.
 */
export async function serveProcess(
  server: ServableServer,
  options: ProcessServeOptions,
  logger: Logger,
): Promise<ServingProcess> {
  if (options.transport === 'stdio') {
    const handle = await server.stdio();
    // Closing stdin is the end of a stdio session (2025-11-25 basic/transports §stdio): drain as if the client left.
    const stop = () => process.stdin.destroy();
    const off = onSignals(stop);
    const closed = handle.closed.then(async () => {
      off();
      await server.close();
    });
    return { url: undefined, closed };
  }
  const { transport: _http, ...serveOptions } = options;
  const handle = await server.listen(serveOptions);
  logger.info({ url: handle.url, stores: describeStores(server) }, 'MCP server listening');
  const closed = new Promise<void>((resolve) => {
    onSignals((signal) => {
      logger.info({ signal }, 'shutting down');
      handle
        .close()
        .then(() => server.close())
        .then(resolve, (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve();
        });
    });
  });
  return { url: handle.url, closed };
}

/** Calls `stop` on the first SIGINT or SIGTERM; returns the function that removes both handlers. */
function onSignals(stop: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    off();
    stop(signal);
  };
  const off = () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
  for (const signal of SIGNALS) process.once(signal, handler);
  return off;
}

/** What the start-up log says about where a server keeps what its instances share. */
export function describeStores(server: ServableServer): string {
  const stores = server.stores;
  if (stores === undefined) return 'memory (this process only)';
  return stores.description ?? 'shared (the stores option)';
}
