import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './cli-process.js';

/** `--help` and usage errors of the commands that talk to remote servers: login, logout, whoami, proxy, doctor. */
const COMMANDS = ['login', 'logout', 'whoami', 'proxy', 'doctor'];

beforeAll(assertBuilt);

describe('remote-server commands', () => {
  it.each(COMMANDS)('%s --help exits 0 with usage and an example', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: switchboard ${command} \\[options\\] <url>`));
    expect(run.stdout).toMatch(/Examples?:\n {2}\$ switchboard /);
  });

  it('are listed in the top-level help', async () => {
    const run = await runCli(['--help']);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`\\n {2}${command} `));
  });

  it.each([
    [['login'], "missing required argument 'url'"],
    [['doctor'], "missing required argument 'url'"],
    [['proxy', 'https://x.example/mcp', '--bogus'], "unknown option '--bogus'"],
    [['whoami', 'ftp://x.example/mcp'], '"ftp://x.example/mcp" is not an http(s) URL'],
    [['doctor', 'not a url'], '"not a url" is not a URL'],
    [['login', 'https://x.example/mcp', '--login-timeout', 'soon'], 'expected a whole number of milliseconds'],
    [['login', 'https://x.example/mcp', '--client-metadata-url', 'http://x.example/c.json'], 'must be an https URL'],
    [['proxy', 'https://x.example/mcp', '-H', 'novalue'], '"novalue" is not KEY=VALUE'],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
