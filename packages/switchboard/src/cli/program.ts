import { Command, CommanderError } from 'commander';
import { SwitchboardError } from '../protocol/errors.js';
import { splitServerCommand } from './client/server-command.js';
import { paletteFor } from './colors.js';
import { registerBench } from './commands/bench.js';
import { registerCall } from './commands/call.js';
import { registerCreate } from './commands/create.js';
import { registerDev } from './commands/dev.js';
import { registerDoctor } from './commands/doctor.js';
import { registerInstall } from './commands/install.js';
import { registerList } from './commands/list.js';
import { registerLogin } from './commands/login.js';
import { registerLogout } from './commands/logout.js';
import { registerPrompt } from './commands/prompt.js';
import { registerProxy } from './commands/proxy.js';
import { registerRead } from './commands/read.js';
import { registerRun } from './commands/run.js';
import { registerUsers } from './commands/users.js';
import { registerWhoami } from './commands/whoami.js';
import { UsageError } from './errors.js';
import { examples, packageVersion } from './help-text.js';

/** Exit code of a command line that cannot run as written (unknown flag, missing argument), as most CLIs use. */
export const USAGE_EXIT_CODE = 2;

/**
 * The `switchboard` program with every command registered. Commands inherit its error handling. `server` is the
 * stdio server a client command was given after `--`.
 */
export function buildProgram(server?: string[]): Command {
  const program = new Command('switchboard')
    .description('Create, develop, run and install MCP servers built with switchboard-mcp, and talk to any MCP server.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText(
      'after',
      examples(
        ['switchboard create my-server', 'a new project with a tool and its test'],
        ['switchboard dev src/server.ts', 'serve it while you work on it'],
        ['switchboard install claude-desktop src/server.ts', 'put it in front of an agent'],
        ['switchboard call http://127.0.0.1:3000/mcp greet name=Ada', 'call a tool of any MCP server'],
        ['switchboard help run', 'the options of one command'],
      ),
    )
    .exitOverride();
  registerCreate(program);
  registerDev(program);
  registerRun(program);
  registerInstall(program);
  registerLogin(program);
  registerLogout(program);
  registerWhoami(program);
  registerProxy(program);
  registerDoctor(program);
  registerList(program, server);
  registerCall(program, server);
  registerRead(program, server);
  registerPrompt(program, server);
  registerBench(program, server);
  registerUsers(program);
  return program;
}

/**
 * Runs the command line and returns the exit code: 0 on success (and for --help/--version), 2 for a usage
 * error (commander has printed it), 1 for a command that failed, with its message on stderr.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const line = splitServerCommand(argv);
    await buildProgram(line.server).parseAsync(line.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    const { red } = paletteFor(process.stderr);
    if (error instanceof UsageError) {
      process.stderr.write(`${red('error:')} ${error.message}\n(add --help for usage and examples)\n`);
      return USAGE_EXIT_CODE;
    }
    if (error instanceof SwitchboardError) {
      process.stderr.write(`${red('error:')} ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `${red('error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
