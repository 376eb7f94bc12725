import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Option } from 'commander';
import { launchInspector, runDevSession } from '../dev/dev-session.js';
import { closeInspector, inspectorForCommand } from '../dev/inspector.js';
import { resolveEntry } from '../entry/load-entry.js';
import { projectRoot } from '../entry/project-root.js';
import { portFromEnv } from '../entry/run-from-command-line.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';
import { parsePort } from '../option-parsers.js';

interface DevCliOptions {
  stdio?: boolean;
  port?: number;
  host?: string;
  path: string;
  inspect?: boolean;
  watch?: string;
  sharedStores?: boolean;
}

/** `switchboard dev <entry>`: serves an entry with reload on change, over HTTP or stdio. */
export function registerDev(program: Command): void {
  const httpOnly = (option: Option) => option.conflicts('stdio');
  program
    .command('dev')
    .description('Serve a server while you work on it: reloads on every change, over HTTP (default) or stdio.')
    .argument('<entry>', 'the file whose default export is your server (.ts or .js)')
    .option('--stdio', 'serve stdio (for a client that starts the server) instead of Streamable HTTP')
    .addOption(
      httpOnly(new Option('-p, --port <port>', 'HTTP port, 0 for any free one (default: $PORT or 3000)')).argParser(
        parsePort,
      ),
    )
    .addOption(httpOnly(new Option('--host <host>', 'interface to bind (default: $HOST or 127.0.0.1)')))
    .addOption(httpOnly(new Option('--path <path>', 'path of the MCP endpoint').default('/mcp')))
    .addOption(
      httpOnly(
        new Option('--shared-stores', 'sessions, events and the bus in Redis ($REDIS_URL), tasks in $DATABASE_URL'),
      ),
    )
    .option('--inspect', 'open the MCP Inspector on the server')
    .option('--watch <dir>', "folder to watch (default: the entry's package folder)")
    .addHelpText(
      'after',
      examples(
        [
          'switchboard dev src/server.ts',
          'http://127.0.0.1:3000/mcp, restarted whenever a file in the project changes',
        ],
        ['switchboard dev src/server.ts --inspect', 'the same, and opens the MCP Inspector on it'],
        ['switchboard dev src/server.ts --stdio', 'for a desktop client: the session survives reloads'],
      ),
    )
    .action(dev);
}

async function dev(entry: string, options: DevCliOptions): Promise<void> {
  const port = options.port ?? portFromEnv(process.env.PORT);
  if (options.sharedStores && !process.env.REDIS_URL)
    throw new UsageError('--shared-stores needs REDIS_URL (and DATABASE_URL for tasks)');
  const { path, kind } = resolveEntry(entry);
  const transport = options.stdio ? 'stdio' : 'http';
  const stdioCommand = [process.execPath, fileURLToPath(new URL('../bin.js', import.meta.url)), 'dev', path, '--stdio'];
  if (options.stdio && options.inspect) {
    // The Inspector starts the stdio server itself, with this same command minus --inspect.
    const inspector = launchInspector((line) => process.stderr.write(`${line}\n`), inspectorForCommand(stdioCommand));
    process.once('SIGINT', () => closeInspector(inspector));
    const [code] = (await once(inspector, 'exit')) as [number | null];
    process.exit(code ?? 0);
  }
  await runDevSession({
    entry: path,
    kind,
    transport,
    port,
    host: options.host ?? process.env.HOST,
    path: options.path,
    sharedStores: options.sharedStores === true,
    root: options.watch === undefined ? projectRoot(path) : resolve(options.watch),
    inspect: options.inspect === true,
    stdioCommand,
  });
  process.exit(0);
}
