import type { Command } from 'commander';
import { Option } from 'commander';
import { createLogger } from '../../logger.js';
import { consoleToStderr } from '../entry/console-to-stderr.js';
import { resolveEntry } from '../entry/load-entry.js';
import { checkTookStores, useSharedStoresFromEnv } from '../entry/process-stores.js';
import { portFromEnv } from '../entry/run-from-command-line.js';
import type { ProcessServeOptions } from '../entry/serve-process.js';
import { serveProcess } from '../entry/serve-process.js';
import { serverForEntry } from '../entry/server-for-entry.js';
import { EntryError, UsageError } from '../errors.js';
import { examples } from '../help-text.js';
import { collect, parseLogLevel, parseMilliseconds, parsePort } from '../option-parsers.js';

interface RunOptions {
  stdio?: boolean;
  port?: number;
  host?: string;
  path: string;
  allowedHost?: string[];
  allowedOrigin?: string[];
  shutdownTimeout: number;
  logLevel?: string;
  sharedStores?: boolean;
}

/** `switchboard run <entry>`: serves an entry for production, over Streamable HTTP or stdio. */
export function registerRun(program: Command): void {
  const httpOnly = (option: Option) => option.conflicts('stdio');
  program
    .command('run')
    .alias('serve')
    .description('Serve a server for production: Streamable HTTP (default) or stdio, JSON logs on stderr.')
    .argument('<entry>', 'the file whose default export is your server (.js or .ts), or a SQL gateway tools.yaml')
    .option('--stdio', 'serve stdio instead of Streamable HTTP')
    .addOption(
      httpOnly(new Option('-p, --port <port>', 'HTTP port, 0 for any free one (default: $PORT or 3000)')).argParser(
        parsePort,
      ),
    )
    .addOption(httpOnly(new Option('--host <host>', 'interface to bind (default: $HOST or 127.0.0.1)')))
    .addOption(httpOnly(new Option('--path <path>', 'path of the MCP endpoint').default('/mcp')))
    .addOption(
      httpOnly(
        new Option('--allowed-host <host>', 'a Host to accept besides loopback names; repeatable, * for any'),
      ).argParser(collect),
    )
    .addOption(
      httpOnly(new Option('--allowed-origin <origin>', 'a browser Origin to accept; repeatable, * for any')).argParser(
        collect,
      ),
    )
    .addOption(
      httpOnly(
        new Option(
          '--shared-stores',
          'share sessions, events and the bus in Redis ($REDIS_URL) and tasks in PostgreSQL ($DATABASE_URL), for several instances behind a load balancer',
        ),
      ),
    )
    .addOption(
      new Option('--shutdown-timeout <ms>', 'how long shutdown lets calls in flight finish')
        .default(10_000)
        .argParser(parseMilliseconds),
    )
    .addOption(
      new Option(
        '--log-level <level>',
        'trace, debug, info, warn, error, fatal or silent (default: $SWITCHBOARD_LOG_LEVEL or info)',
      ).argParser(parseLogLevel),
    )
    .addHelpText(
      'after',
      examples(
        ['switchboard run dist/server.js --port 8080', 'Streamable HTTP at http://127.0.0.1:8080/mcp until SIGTERM'],
        ['switchboard run src/server.ts --stdio', 'stdio, for a client that starts the server itself'],
        ['switchboard serve tools.yaml', 'a no-code SQL server: the tools a tools.yaml defines'],
        [
          'switchboard run server.js --host 0.0.0.0 --allowed-host mcp.example.com',
          'behind a proxy that sends Host: mcp.example.com',
        ],
        [
          'REDIS_URL=redis://redis:6379 DATABASE_URL=postgres://db/app switchboard run server.js --shared-stores',
          'one of several instances: sessions, events and tasks shared',
        ],
      ),
    )
    .action(runServer);
}

async function runServer(entry: string, options: RunOptions): Promise<void> {
  if (options.logLevel !== undefined) process.env.SWITCHBOARD_LOG_LEVEL = options.logLevel;
  const logger = createLogger('switchboard');
  const transport = transportOf(options);
  let serving: Awaited<ReturnType<typeof serveProcess>>;
  try {
    if (options.stdio) consoleToStderr();
    const { path, kind } = resolveEntry(entry);
    if (options.sharedStores) useSharedStoresFromEnv();
    const server = await serverForEntry(path, kind);
    if (options.sharedStores) checkTookStores(server);
    serving = await serveProcess(server, transport, logger);
    if (!options.sharedStores && process.env.REDIS_URL && server.stores === undefined && !options.stdio) {
      logger.warn(
        'REDIS_URL is set, yet this server keeps sessions, events and tasks in memory: pass --shared-stores to share them',
      );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const entryError = error instanceof EntryError;
    logger.fatal(
      { err: entryError ? error.reason : error, entry },
      entryError
        ? error.message
        : storeDown(error)
          ? `the server could not start: ${(error as Error).message}`
          : 'the server could not start',
    );
    process.exitCode = 1;
    return;
  }
  await serving.closed;
  // Whatever the entry left open (a database pool, a timer) must not keep a server that was told to stop alive.
  process.exit(0);
}

/** A shared store unreachable at start (`StoreUnavailableError`, maybe from another copy of the package). */
function storeDown(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_STORE_UNAVAILABLE';
}

function transportOf(options: RunOptions): ProcessServeOptions {
  if (options.stdio) return { transport: 'stdio' };
  return {
    transport: 'http',
    port: options.port ?? portFromEnv(process.env.PORT),
    host: options.host ?? process.env.HOST,
    path: options.path,
    shutdownTimeoutMs: options.shutdownTimeout,
    allowedHosts: anyOrList(options.allowedHost),
    allowedOrigins: anyOrList(options.allowedOrigin),
  };
}

function anyOrList(values: string[] | undefined): string[] | '*' | undefined {
  return values?.includes('*') ? '*' : values;
}
