import type { Logger } from 'pino';
import type { ServeOptions } from '../../transports/http/serve.js';
import { UsageError } from '../errors.js';
import { cliHost } from './cli-host.js';
import type { ServableServer } from './servable.js';
import { serveProcess } from './serve-process.js';

/**
 * What `Switchboard.run()` does. Under `switchboard run` or `dev` it hands the server to the CLI, which serves it
 * as its own flags say. Under plain `node`, `--stdio` (or `MCP_TRANSPORT=stdio`) serves stdio and returns once
 * stdin has closed; otherwise it serves Streamable HTTP on `PORT` (default 3000) and `HOST`, returns once
 * listening, and exits the process after SIGINT/SIGTERM and a graceful close.
 */
export async function runFromCommandLine(
  server: ServableServer,
  logger: Logger,
  options: ServeOptions = {},
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const host = cliHost();
  if (host !== undefined) {
    host.adopt(server);
    return;
  }
  if (argv.includes('--stdio') || env.MCP_TRANSPORT === 'stdio') {
    const serving = await serveProcess(server, { transport: 'stdio' }, logger);
    return serving.closed;
  }
  const port = options.port ?? portFromEnv(env.PORT);
  const serving = await serveProcess(
    server,
    { ...options, transport: 'http', port, host: options.host ?? env.HOST },
    logger,
  );
  void serving.closed.then(() => process.exit(0));
}

/** The port `PORT` names (default 3000); a value that is not a port is a usage error. */
export function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new UsageError(`PORT must be a port number from 0 to 65535, not "${value}"`);
  return port;
}
