import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, CliProcess, cliEnv, runCli } from './cli-process.js';

/**
 * list, call, read and prompt as a user runs them: the real binary against the conformance fixture server and the
 * quickstart, over stdio (`-- command args`) and Streamable HTTP, in both eras.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const conformance = fileURLToPath(new URL('./fixtures/conformance-entry.ts', import.meta.url));
const sdkV1 = fileURLToPath(new URL('./fixtures/sdk-v1-server.ts', import.meta.url));
const quickstart = join(root, 'examples/quickstart/server.ts');
const stdioServer = (entry: string) => ['--', process.execPath, BIN, 'run', entry, '--stdio'];
const ERAS = ['2026-07-28', '2025-11-25'] as const;

let http: CliProcess;
let url: string;
let scratch: string;

beforeAll(async () => {
  assertBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-client-'));
  http = new CliProcess(['run', conformance, '--port', '0'], { env: cliEnv({ SWITCHBOARD_LOG_LEVEL: 'info' }) });
  [, url = ''] = await http.waitFor('stderr', /"url":"(http:[^"]+)"/);
}, 120_000);

afterAll(async () => {
  await http?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A client command against the conformance server, over `transport`; the target goes where each form wants it. */
function against(transport: 'stdio' | 'http', command: string, rest: string[], era: string) {
  const args = [
    command,
    '--era',
    era,
    ...(transport === 'http' ? [url, ...rest] : [...rest, ...stdioServer(conformance)]),
  ];
  return args;
}

describe.each(['stdio', 'http'] as const)('client commands over %s', { timeout: 120_000 }, (transport) => {
  describe.each(ERAS)('in the %s era', (era) => {
    it('lists tools, resources, templates and prompts, as text and as JSON', async () => {
      const text = await runCli(against(transport, 'list', [], era));
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`switchboard-conformance 1\\.0\\.0 · ${era}`));
      expect(text.stdout).toMatch(/Tools \(\d+\)\nname +hints +description\ntest_simple_text +Tests simple text/);
      expect(text.stdout).toMatch(/test:\/\/static-text +text\/plain/);
      expect(text.stdout).toMatch(/test_prompt_with_arguments +arg1 arg2/);
      const json = await runCli(against(transport, 'list', ['prompts', '--json'], era));
      const listing = JSON.parse(json.stdout) as {
        server: { protocolVersion: string };
        prompts: { name: string }[];
        tools?: unknown;
      };
      expect(listing.server.protocolVersion).toBe(era);
      expect(listing.prompts.map((prompt) => prompt.name)).toContain('test_simple_prompt');
      expect(listing.tools).toBeUndefined();
    });

    it('calls a tool with progress and log messages on stderr and the result on stdout', async () => {
      const progress = await runCli(against(transport, 'call', ['test_tool_with_progress'], era));
      expect(progress.code, progress.stderr).toBe(0);
      expect(progress.stderr).toContain('progress 50/100 Completed step 50 of 100');
      expect(progress.stdout.trim()).toMatch(/^progress-\d+$/);
      const logging = await runCli(against(transport, 'call', ['test_tool_with_logging'], era));
      expect(logging.stderr).toContain('[info] Tool execution started');
      expect(logging.stdout.trim()).toBe('Tool with logging executed successfully');
    });

    it('asks an elicitation at the terminal, and cancels when stdin has ended', async () => {
      const call = against(transport, 'call', ['test_elicitation', 'message=Your name?'], era);
      const answered = await runCli(call, { input: 'Ada\n' });
      expect(answered.stderr).toMatch(/The server asks: Your name\?\n.*\n {2}User's response \(string\): /);
      expect(answered.stdout).toContain('action=accept, content={"response":"Ada"}');
      const ended = await runCli(call, { input: '' });
      expect(ended.stdout).toContain('action=cancel');
    });

    it('saves images to files, and exits 1 when the tool answers isError', async () => {
      const dir = mkdtempSync(join(scratch, `${transport}-${era}-`));
      const image = await runCli(against(transport, 'call', ['test_image_content', '--save-to', dir], era));
      expect(image.stdout).toMatch(/\[image image\/png, \d+ B, saved to .*test_image_content-1\.png\]/);
      expect(readFileSync(join(dir, 'test_image_content-1.png')).subarray(1, 4).toString()).toBe('PNG');
      const failing = await runCli(against(transport, 'call', ['test_input_validation', 'count=0'], era));
      expect(failing.code).toBe(1);
      expect(failing.stderr).toMatch(/test_input_validation answered with an error:\nInvalid arguments/);
      const json = await runCli(against(transport, 'call', ['test_error_handling', '--json'], era));
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ isError: true });
    });

    it('reads text and binary resources and gets prompts', async () => {
      const dir = mkdtempSync(join(scratch, `read-${transport}-${era}-`));
      const text = await runCli(against(transport, 'read', ['test://static-text'], era));
      expect(text.stdout).toBe(
        '[resource test://static-text text/plain]\nThis is the content of the static text resource.\n',
      );
      const binary = await runCli(against(transport, 'read', ['test://static-binary', '--save-to', dir], era));
      expect(binary.stdout).toMatch(/saved to .*static-binary-1\.png/);
      const prompt = await runCli(
        against(transport, 'prompt', ['test_prompt_with_arguments', 'arg1=a', 'arg2=b'], era),
      );
      expect(prompt.stdout).toBe("user: Prompt with arguments: arg1='a', arg2='b'\n");
      const unknown = await runCli(against(transport, 'prompt', ['no_such_prompt'], era));
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/error: .*no_such_prompt/);
    });
  });
});

describe('arguments typed by the schema', { timeout: 120_000 }, () => {
  it.each(ERAS)('sends key=value as numbers to the quickstart over stdio (%s)', async (era) => {
    const run = await runCli(['call', 'add', 'a=2', 'b=3', '--era', era, ...stdioServer(quickstart)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('5\n');
  });

  it("takes --json '{…}' as the arguments and answers JSON", async () => {
    const run = await runCli(['call', 'add', '--json', '{"a":40,"b":2}', ...stdioServer(quickstart)]);
    expect(JSON.parse(run.stdout)).toMatchObject({ content: [{ type: 'text', text: '42' }] });
  });

  it('refuses a value that does not fit the schema, with exit 2 and nothing called', async () => {
    const run = await runCli(['call', 'add', 'a=two', 'b=3', ...stdioServer(quickstart)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a=two: expected a number');
  });

  it('mirrors x-mcp-header arguments into Mcp-Param headers over HTTP', async () => {
    const run = await runCli(['call', url, 'test_header_params', 'region=eu-west', 'query=select 1']);
    expect(run.stdout).toBe('Ran "select 1" in eu-west\n');
  });
});

describe('targets', { timeout: 120_000 }, () => {
  it('falls back to initialize against a 2025-era-only server (the official SDK v1)', async () => {
    const run = await runCli(['list', '--json', '--', process.execPath, '--import', 'tsx', sdkV1], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      server: { protocolVersion: '2025-11-25', serverInfo: { name: 'sdk-v1' } },
    });
    const forced = await runCli(['list', '--era', '2026-07-28', '--', process.execPath, '--import', 'tsx', sdkV1], {
      cwd: root,
    });
    expect(forced.code).toBe(1);
  });

  it("finds a server by name in a client's config file", async () => {
    const home = mkdtempSync(join(scratch, 'home-'));
    mkdirSync(join(home, '.cursor'));
    writeFileSync(
      join(home, '.cursor', 'mcp.json'),
      JSON.stringify({
        mcpServers: { quick: { command: process.execPath, args: [BIN, 'run', quickstart, '--stdio'] } },
      }),
    );
    writeFileSync(join(home, '.mcp.json'), JSON.stringify({ mcpServers: { remote: { type: 'http', url } } }));
    const env = cliEnv({ HOME: home, XDG_CONFIG_HOME: join(home, '.config') });
    const byName = await runCli(['call', 'quick', 'add', 'a=1', 'b=1'], { cwd: home, env });
    expect(byName.stdout, byName.stderr).toBe('2\n');
    const byClient = await runCli(['call', 'claude-code:remote', 'test_simple_text'], { cwd: home, env });
    expect(byClient.stdout).toBe('This is a simple text response for testing.\n');
    const missing = await runCli(['list', 'nowhere'], { cwd: home, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no client config file has a server of that name \(configured: .*cursor:quick/);
  });

  it('says clearly when the server cannot be reached or started', async () => {
    const refused = await runCli(['list', 'http://127.0.0.1:9/mcp']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: could not reach http:\/\/127\.0\.0\.1:9\/mcp/);
    const missing = await runCli(['list', '--', 'no-such-command-here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/could not start no-such-command-here/);
  });

  it('gives usage errors exit 2', async () => {
    expect((await runCli(['call'])).code).toBe(2);
    expect((await runCli(['call', url])).stderr).toContain('missing the tool to call');
    expect((await runCli(['list', '--'])).code).toBe(2);
    expect((await runCli(['list', url, '--bogus'])).code).toBe(2);
  });
});
