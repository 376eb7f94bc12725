import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, runCli } from './cli-process.js';

const COMMANDS = ['create', 'dev', 'run', 'install', 'list', 'call', 'read', 'prompt', 'bench', 'users'];
/** The escape that starts every ANSI colour sequence. */
const ANSI = `${String.fromCharCode(27)}[`;

beforeAll(assertBuilt);

describe('switchboard --help', () => {
  it.each([[[]], ...COMMANDS.map((command) => [[command]])])(
    '%j --help exits 0 with usage and an example',
    async (args) => {
      const run = await runCli([...args, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: switchboard/);
      expect(run.stdout).toMatch(/Examples?:\n {2}\$ switchboard /);
    },
  );

  it('lists every command', async () => {
    const run = await runCli(['--help']);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`\\n {2}${command}[ |]`));
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('usage errors exit 2 with a clear message', () => {
  it.each([
    [['create'], "missing required argument 'dir'"],
    [['dev'], "missing required argument 'entry'"],
    [['run'], "missing required argument 'entry'"],
    [['create', 'x', '--bogus'], "unknown option '--bogus'"],
    [['dev', 'x.ts', '--bogus'], "unknown option '--bogus'"],
    [['run', 'x.ts', '--bogus'], "unknown option '--bogus'"],
    [['run', 'x.ts', 'extra'], 'too many arguments'],
    [['run', 'x.ts', '--port', '70000'], 'expected a port number from 0 to 65535'],
    [['run', 'x.ts', '--stdio', '--host', '0.0.0.0'], "option '--host <host>' cannot be used with option '--stdio'"],
    [['run', 'x.ts', '--log-level', 'loud'], 'expected one of trace, debug, info'],
    [['dev', 'x.ts', '--stdio', '--port', '1'], 'cannot be used with option'],
    [['create', 'x', '--template', 'nope'], 'Allowed choices are basic'],
    [['deploy'], "unknown command 'deploy'"],
    [['list'], 'missing the target'],
    [['call', 'http://127.0.0.1:9/mcp'], 'missing the tool to call'],
    [['read', 'http://127.0.0.1:9/mcp'], 'missing the URI'],
    [['prompt', 'http://127.0.0.1:9/mcp'], 'missing the name of the prompt'],
    [['list', 'http://127.0.0.1:9/mcp', '--era', '2024'], 'Allowed choices are auto'],
    [['bench', 'http://127.0.0.1:9/mcp', 'add', '-c', '0'], 'expected a whole number above 0'],
    [['users', 'add'], "missing required argument 'username'"],
    [['users', 'add', 'ada', '--claims', '[1]'], '--claims: expected a JSON object'],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('(add --help for usage and examples)');
  });

  it('PORT that is not a port is a usage error too', async () => {
    const run = await runCli(['run', 'x.ts'], { env: { ...process.env, PORT: 'eighty' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PORT must be a port number from 0 to 65535, not "eighty"');
  });
});

describe('colours', () => {
  /** Runs the CLI on a pseudo-terminal (util-linux `script`), where colours are allowed. */
  function onTerminal(args: string[], env: NodeJS.ProcessEnv): string {
    const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env, timeout: 30_000 });
    return run.stdout;
  }
  const terminalEnv = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    // Node's hasColors() says no on CI machines (CI set) and under NODE_DISABLE_COLORS; a person's terminal has neither.
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'CI']) delete env[name];
    return env;
  };
  const hasScript = spawnSync('script', ['--version']).status === 0;

  it('are never written to a pipe', async () => {
    const run = await runCli(['install', '--list'], { env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' } });
    expect(run.stdout).not.toContain(ANSI);
    const failed = await runCli(['run']);
    expect(failed.stderr).not.toContain(ANSI);
  });

  it.skipIf(!hasScript)('are written to a terminal, unless NO_COLOR is set', () => {
    expect(onTerminal(['install', '--list'], terminalEnv())).toContain(ANSI);
    expect(onTerminal(['install', '--list'], { ...terminalEnv(), NO_COLOR: '1' })).not.toContain(ANSI);
    expect(
      onTerminal(['create', '/nonexistent/dir/that/cannot/be/made/x', '--name', 'Bad Name'], terminalEnv()),
    ).toContain(ANSI);
  });
});
