import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY, modernRequest, post } from '../support/http.js';
import { assertBuilt, CliProcess, cliEnv, runCli } from './cli-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const quickstart = join(root, 'examples/quickstart/server.ts');
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const LOUD = cliEnv({ SWITCHBOARD_LOG_LEVEL: 'info' });

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function callTool(url: string, name: string, args: Record<string, unknown>) {
  const { headers, body } = modernRequest(1, 'tools/call', { name, arguments: args });
  const reply = (await (await post(url, body, headers)).json()) as { result: { content: { text: string }[] } };
  return reply.result.content[0]?.text;
}

/** Servers a test started; each is stopped after its test, whatever the test's outcome. */
const started: CliProcess[] = [];
function start(args: string[]): CliProcess {
  const cli = new CliProcess(args, { env: LOUD });
  started.push(cli);
  return cli;
}

beforeAll(assertBuilt);
afterEach(async () => {
  await Promise.all(started.splice(0).map((cli) => cli.stop()));
});

describe('switchboard run over HTTP', () => {
  it('serves the quickstart, whose own run() hands its server to the CLI, and stops on SIGTERM', async () => {
    const cli = start(['run', quickstart, '--port', '0']);
    const [, url = ''] = await cli.waitFor('stderr', /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/);
    expect(await callTool(url, 'add', { a: 2, b: 3 })).toBe('5');
    const initialize = await post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
      { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    );
    expect(initialize.headers.get('mcp-session-id')).toBeTruthy();
    expect(await cli.stop('SIGTERM')).toBe(0);
    const logs = jsonLines(cli.stderr);
    expect(logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['MCP server listening', 'shutting down']));
    expect(logs.find((line) => line.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM', level: 30 });
  });

  it('lets a call in flight finish before it exits on SIGTERM', async () => {
    const cli = start(['run', fixture('slow-server.ts'), '--port', '0']);
    const [, url = ''] = await cli.waitFor('stderr', /"url":"(http:[^"]+)"/);
    const answer = callTool(url, 'slow', {});
    await cli.waitFor('stderr', /slow tool started/);
    cli.child.kill('SIGTERM');
    expect(await answer).toBe('finished');
    expect(await cli.exited).toBe(0);
  });

  it('takes the port, host and path from its flags', async () => {
    const cli = start(['run', fixture('factory-server.ts'), '--port', '0', '--host', '127.0.0.1', '--path', '/tools']);
    const [, url = ''] = await cli.waitFor('stderr', /"url":"(http:[^"]+)"/);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tools$/);
    expect(await callTool(url, 'echo', { text: 'hi' })).toBe('hi');
    expect(await cli.stop()).toBe(0);
  });
});

describe('switchboard run over stdio', () => {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  };

  it('serves the quickstart until stdin closes, with nothing but protocol messages on stdout', async () => {
    const calls = [1, 2].map((id) =>
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'add', arguments: { a: id, b: 10 }, _meta: meta },
      }),
    );
    const run = await runCli(['run', quickstart, '--stdio'], { input: `${calls.join('\n')}\n` });
    expect(run.code).toBe(0);
    const replies = jsonLines(run.stdout);
    expect(replies.map((reply) => (reply.result as { content: { text: string }[] }).content[0]?.text)).toEqual([
      '11',
      '12',
    ]);
  });

  it('serves a default-exported factory', async () => {
    const call = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x' }, _meta: meta },
    };
    const run = await runCli(['run', fixture('factory-server.ts'), '--stdio'], { input: `${JSON.stringify(call)}\n` });
    expect(jsonLines(run.stdout)).toMatchObject([{ id: 7, result: { content: [{ text: 'x' }] } }]);
  });
});

describe('switchboard run with a bad entry', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-run-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a missing file', ['run', 'nowhere.ts'], /Entry file not found: nowhere\.ts/],
    [
      'no server handed over',
      ['run', fixture('no-server.ts')],
      /does not hand over a server: end it with `export default server`/,
    ],
    ['an error while loading', ['run', fixture('throws-on-load.ts')], /throws-on-load\.ts failed to load/],
  ])('%s: exits 1 with a JSON fatal log line that says why', async (_case, args, message) => {
    const run = await runCli(args, { env: LOUD });
    expect(run.code).toBe(1);
    const [fatal] = jsonLines(run.stderr);
    expect(fatal).toMatchObject({ level: 60, name: 'switchboard' });
    expect(String(fatal?.msg)).toMatch(message);
  });

  it('keeps what the entry threw in the log line', async () => {
    const run = await runCli(['run', fixture('throws-on-load.ts')], { env: LOUD });
    expect(jsonLines(run.stderr)[0]).toMatchObject({ err: { message: 'the database URL is not set' } });
  });

  it('says which line of a tools.yaml is wrong, and exits 1', async () => {
    const yaml = join(dir, 'tools.yaml');
    writeFileSync(yaml, 'sources:\n  db: { kind: pglite }\ntools:\n  broken:\n    description: x\n');
    const run = await runCli(['run', yaml], { env: LOUD });
    expect(run.code).toBe(1);
    expect(jsonLines(run.stderr)[0]).toMatchObject({ msg: 'the server could not start' });
    expect(run.stderr).toMatch(/tools\.yaml:\d+/);
    expect(run.stderr).toMatch(/statement/);
  });

  it('refuses a port that is already taken, with exit code 1', async () => {
    const first = start(['run', quickstart, '--port', '0']);
    const [, port = ''] = await first.waitFor('stderr', /"url":"http:\/\/127\.0\.0\.1:(\d+)\/mcp"/);
    const second = await runCli(['run', quickstart, '--port', port], { env: LOUD });
    expect(second.code).toBe(1);
    expect(jsonLines(second.stderr)[0]).toMatchObject({
      msg: 'the server could not start',
      err: { code: 'EADDRINUSE' },
    });
    expect(await first.stop()).toBe(0);
  });
});

// Opening PGlite runs initdb: seconds alone, far more on a loaded machine.
describe('switchboard run tools.yaml (serve)', { timeout: 150_000 }, () => {
  const yaml = (dir: string) => {
    const path = join(dir, 'tools.yaml');
    writeFileSync(
      path,
      [
        'sources:',
        '  db: { kind: pglite, dataDir: memory }',
        'tools:',
        '  add_numbers:',
        '    description: Adds two integers in SQL',
        '    statement: SELECT CAST(:a AS integer) + CAST(:b AS integer) AS sum',
        '    parameters:',
        '      - { name: a, type: integer }',
        '      - { name: b, type: integer }',
        '    result: one',
        '',
      ].join('\n'),
    );
    return path;
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-serve-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the tools a tools.yaml defines over stdio, as `serve`', async () => {
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: {
        name: 'add_numbers',
        arguments: { a: 2, b: 40 },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    };
    const run = await runCli(['serve', yaml(dir), '--stdio'], { input: `${JSON.stringify(call)}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout)).toMatchObject([{ id: 3, result: { structuredContent: { sum: 42 } } }]);
  });

  it('serves it over HTTP and closes its database on SIGTERM', async () => {
    const cli = start(['run', yaml(dir), '--port', '0']);
    const [, url = ''] = await cli.waitFor('stderr', /"url":"(http:[^"]+)"/);
    const { headers, body } = modernRequest(1, 'tools/call', { name: 'add_numbers', arguments: { a: 1, b: 2 } });
    const reply = (await (await post(url, body, headers)).json()) as { result: { structuredContent: unknown } };
    expect(reply.result.structuredContent).toEqual({ sum: 3 });
    expect(await cli.stop()).toBe(0);
  });
});
