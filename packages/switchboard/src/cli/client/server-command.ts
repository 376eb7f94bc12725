/** Commands whose target may be a stdio server given after `--`. */
const CLIENT_COMMANDS = new Set(['list', 'call', 'read', 'prompt', 'bench']);

/** Commands whose `--json` may carry the arguments: `--json '{…}'` is read as `--json --args '{…}'`. */
const ARGUMENT_COMMANDS = new Set(['call', 'prompt', 'bench']);

/** A command line with the stdio server after `--` taken out. */
export interface SplitCommandLine {
  argv: string[];
  /** `command args…` after `--`, for a client command; undefined when there is none. */
  server: string[] | undefined;
}

/**
 * Takes `-- command args…` off a client command's line (`switchboard call add a=1 -- node server.js`): whatever
 * follows the first `--` is the server to start, never the command's own arguments or options.
 */
export function splitServerCommand(argv: readonly string[]): SplitCommandLine {
  const command = argv[2];
  const dashes = argv.indexOf('--', 3);
  if (command === undefined || !CLIENT_COMMANDS.has(command)) return { argv: [...argv], server: undefined };
  const own = dashes === -1 ? [...argv] : argv.slice(0, dashes);
  const server = dashes === -1 ? undefined : argv.slice(dashes + 1);
  return { argv: ARGUMENT_COMMANDS.has(command) ? jsonArguments(own) : own, server };
}

/** JSON in, JSON out: `--json` followed by a JSON object also gives the arguments. */
function jsonArguments(argv: string[]): string[] {
  return argv.flatMap((token, index) =>
    token === '--json' && argv[index + 1]?.trimStart().startsWith('{') ? ['--json', '--args'] : [token],
  );
}
