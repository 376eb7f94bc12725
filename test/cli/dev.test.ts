import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LEGACY, modernRequest, post } from '../support/http.js';
import { assertBuilt, CliProcess, cliEnv } from './cli-process.js';

const repoModules = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** The entry a test edits: an `add` tool whose answer is `format` applied to the sum. */
const entry = (format: string) => `import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

const server = new Switchboard({ name: 'dev-test', version: '1.0.0' });
server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => ${format});
export default server;
`;

let project: string;
let cli: CliProcess | undefined;
let printed = '';

beforeAll(assertBuilt);
beforeEach(({ onTestFailed }) => {
  // What the CLI printed is the first thing to read when one of these fails.
  onTestFailed(() => console.error(`switchboard dev printed:\n${printed}`));
  project = mkdtempSync(join(tmpdir(), 'switchboard-dev-'));
  symlinkSync(repoModules, join(project, 'node_modules'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'dev-test', type: 'module' }));
  writeFileSync(join(project, 'server.ts'), entry('String(a + b)'));
});
afterEach(async () => {
  printed = cli?.stderr ?? '';
  await cli?.stop();
  cli = undefined;
  rmSync(project, { recursive: true, force: true });
});

async function add(url: string): Promise<string | undefined> {
  const { headers, body } = modernRequest(1, 'tools/call', { name: 'add', arguments: { a: 2, b: 3 } });
  const reply = (await (await post(url, body, headers)).json()) as { result: { content: { text: string }[] } };
  return reply.result.content[0]?.text;
}

function edit(content: string): number {
  const seen = cli?.stderr.length ?? 0;
  writeFileSync(join(project, 'server.ts'), content);
  return seen;
}

describe('switchboard dev over HTTP', () => {
  it('prints the URL and the Inspector command, reloads on change, reports a broken entry and keeps watching', {
    timeout: 60_000,
  }, async () => {
    cli = new CliProcess(['dev', 'server.ts', '--port', '0'], { cwd: project });
    const [, url = ''] = await cli.waitFor('stderr', /MCP\s+(http:\/\/127\.0\.0\.1:\d+\/mcp)/);
    expect(cli.stderr).toContain(`npx @modelcontextprotocol/inspector --transport http --server-url ${url}`);
    expect(await add(url)).toBe('5');

    let from = edit(`${entry('String(a + b)')}const broken: number = ;\n`);
    await cli.waitFor(
      'stderr',
      /✖ server\.ts failed to load\n {2}server\.ts:7:24 {2}Unexpected ";"\n {4}7 \| const broken: number = ;\n {6}\| {24}\^/,
      from,
    );

    from = edit(entry("'sum=' + (a + b)"));
    await cli.waitFor('stderr', /↻ reloaded in \d+ ms \(server\.ts\)/, from);
    expect(await add(url)).toBe('sum=5');

    from = edit(`throw new Error('no API key');\n${entry('String(a + b)')}`);
    await cli.waitFor('stderr', /failed to load\n {2}Error: no API key\n +at .*server\.ts:1:7\)\n {2}Waiting/, from);

    from = edit(entry("'total=' + (a + b)"));
    await cli.waitFor('stderr', /↻ reloaded/, from);
    expect(await add(url)).toBe('total=5');
    expect(await cli.stop('SIGINT')).toBe(0);
    await expect(add(url)).rejects.toThrow();
  });

  it('says when the default export is not a server', async () => {
    writeFileSync(join(project, 'server.ts'), 'export default { name: "not a server" };\n');
    cli = new CliProcess(['dev', 'server.ts', '--port', '0'], { cwd: project });
    await cli.waitFor('stderr', /default export is not a Switchboard server \(got an object with keys name\)/);
    const from = edit(entry('String(a + b)'));
    await cli.waitFor('stderr', /MCP\s+http:/, from);
  });

  it('--inspect opens the Inspector on the URL and closes it on exit', async () => {
    // A stand-in `npx` first on PATH records how the Inspector was started, then stays up as the Inspector would.
    const bin = join(project, 'fake-bin');
    mkdirSync(bin);
    const record = join(project, 'inspector-args');
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\necho "$$ $*" > "${record}.tmp" && mv "${record}.tmp" "${record}"\nexec sleep 60\n`,
    );
    chmodSync(join(bin, 'npx'), 0o755);
    cli = new CliProcess(['dev', 'server.ts', '--port', '0', '--inspect'], {
      cwd: project,
      env: cliEnv({ PATH: `${bin}:${process.env.PATH}` }),
    });
    const [, url = ''] = await cli.waitFor('stderr', /MCP\s+(http:\S+)/);
    await cli.waitFor('stderr', /opening npx @modelcontextprotocol\/inspector/);
    await expect.poll(() => readIfThere(record)).toMatch(/^\d+ /);
    const [pid = '', ...args] = (readIfThere(record) ?? '').trim().split(' ');
    expect(args).toEqual(['-y', '@modelcontextprotocol/inspector', '--transport', 'http', '--server-url', url]);
    expect(await cli.stop()).toBe(0);
    await expect.poll(() => isRunning(Number(pid))).toBe(false);
  });
});

describe('switchboard dev over stdio', () => {
  const call = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'add', arguments: { a: 2, b: 3 } },
  });
  const text = (reply: Record<string, unknown>) => (reply.result as { content: { text: string }[] }).content[0]?.text;

  it('keeps a 2025-11-25 session across reloads and tells the client its tools changed', {
    timeout: 60_000,
  }, async () => {
    cli = new CliProcess(['dev', 'server.ts', '--stdio'], { cwd: project });
    const current = cli;
    current.send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    });
    expect(await current.nextMessage((m) => m.id === 0)).toMatchObject({ result: { protocolVersion: LEGACY } });
    current.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    current.send(call(1));
    expect(text(await current.nextMessage((m) => m.id === 1))).toBe('5');
    await current.waitFor('stderr', /switchboard dev {2}dev-test 1\.0\.0 over stdio/);

    const out = current.stdout.length;
    let from = edit(entry("'sum=' + (a + b)"));
    await current.waitFor('stderr', /↻ reloaded/, from);
    await current.nextMessage((m) => m.method === 'notifications/tools/list_changed', out);
    current.send(call(2));
    expect(text(await current.nextMessage((m) => m.id === 2))).toBe('sum=5');

    from = edit('export const oops: number = ;\n');
    await current.waitFor('stderr', /failed to load/, from);
    current.send(call(3));
    expect(await current.nextMessage((m) => m.id === 3)).toMatchObject({
      error: { code: -32603, message: expect.stringContaining('server.ts failed to load') },
    });

    from = edit(entry("'total=' + (a + b)"));
    await current.waitFor('stderr', /↻ reloaded/, from);
    current.send(call(4));
    expect(text(await current.nextMessage((m) => m.id === 4))).toBe('total=5');
    current.child.stdin?.end();
    expect(await current.exited).toBe(0);
    expect(
      current.stdout
        .split('\n')
        .filter((line) => line !== '')
        .every((line) => JSON.parse(line).jsonrpc === '2.0'),
    ).toBe(true);
  });
});

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
