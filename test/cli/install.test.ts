import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, runCli } from './cli-process.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/server.ts', import.meta.url));

let home: string;
let project: string;
beforeAll(assertBuilt);
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'switchboard-home-'));
  project = join(home, 'work');
  mkdirSync(project);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Runs `switchboard install …` in the project folder with HOME (and nothing else) pointing at the temp home. */
function install(...args: string[]) {
  const env = cliEnv({ HOME: home });
  for (const variable of ['XDG_CONFIG_HOME', 'CODEX_HOME', 'APPDATA']) delete env[variable];
  return runCli(['install', ...args], { cwd: project, env });
}

function seed(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const read = (path: string) => readFileSync(path, 'utf8');
const expectedArgs = () => [expect.stringMatching(/dist\/cli\/bin\.js$/), 'run', quickstart, '--stdio'];

describe('switchboard install into fresh config files', () => {
  it.each([
    ['claude-desktop', '.config/Claude/claude_desktop_config.json', 'mcpServers', {}],
    ['claude-code', 'work/.mcp.json', 'mcpServers', { type: 'stdio' }],
    ['cursor', '.cursor/mcp.json', 'mcpServers', {}],
    ['vscode', 'work/.vscode/mcp.json', 'servers', { type: 'stdio' }],
    ['gemini', '.gemini/settings.json', 'mcpServers', {}],
  ])('%s: writes an absolute node command that runs the entry over stdio', async (client, file, key, extra) => {
    const run = await install(client, quickstart);
    expect(run.code).toBe(0);
    const config = JSON.parse(read(join(home, file)));
    expect(config[key]['switchboard-example-quickstart']).toEqual({
      ...extra,
      command: process.execPath,
      args: expectedArgs(),
    });
    expect(run.stdout).toContain(`Added "switchboard-example-quickstart" to ${join(home, file)}`);
  });

  it('codex: a [mcp_servers.<name>] table in ~/.codex/config.toml, with its env', async () => {
    const run = await install('codex', quickstart, '--name', 'calc', '-e', 'API_KEY=sk=1', '-e', 'EMPTY=');
    expect(run.code).toBe(0);
    expect(parseToml(read(join(home, '.codex/config.toml')))).toEqual({
      mcp_servers: { calc: { command: process.execPath, args: expectedArgs(), env: { API_KEY: 'sk=1', EMPTY: '' } } },
    });
  });

  it('the command it writes starts the server and answers a call', async () => {
    await install('cursor', quickstart, '--name', 'calc');
    const { command, args } = JSON.parse(read(join(home, '.cursor/mcp.json'))).mcpServers.calc;
    // Started as a desktop client would: another folder, nothing on PATH.
    const child = spawn(command, args, { cwd: tmpdir(), env: { HOME: home, SWITCHBOARD_LOG_LEVEL: 'silent' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    child.stdin.end(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add', arguments: { a: 20, b: 22 }, _meta: meta } })}\n`,
    );
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 1, result: { content: [{ text: '42' }] } });
  });

  it('remote servers: each client spells a Streamable HTTP URL its own way', async () => {
    const url = 'https://mcp.example.com/mcp';
    expect((await install('vscode', url)).code).toBe(0);
    expect((await install('gemini', url)).code).toBe(0);
    expect((await install('claude-code', url, '--scope', 'user')).code).toBe(0);
    expect(JSON.parse(read(join(project, '.vscode/mcp.json'))).servers.example).toEqual({ type: 'http', url });
    expect(JSON.parse(read(join(home, '.gemini/settings.json'))).mcpServers.example).toEqual({ httpUrl: url });
    expect(JSON.parse(read(join(home, '.claude.json'))).mcpServers.example).toEqual({ type: 'http', url });
  });

  it('Claude Desktop refuses a URL and says where remote servers go', async () => {
    const run = await install('claude-desktop', 'https://mcp.example.com/mcp');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Settings → Connectors');
    expect(existsSync(join(home, '.config/Claude'))).toBe(false);
  });
});

describe('switchboard install merges into existing files without losing anything', () => {
  it('VS Code: keeps comments, other servers, inputs and trailing commas (JSON with comments)', async () => {
    const original = `{
  // Servers for this repo
  "inputs": [{ "type": "promptString", "id": "token", "password": true }],
  "servers": {
    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" }, // remote
    /* local one */
    "files": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."] },
  },
}
`;
    const path = seed(join(project, '.vscode/mcp.json'), original);
    expect((await install('vscode', quickstart, '--name', 'calc')).code).toBe(0);
    const merged = read(path);
    for (const line of original.split('\n').filter((l) => !/^\s*}?,?\s*$/.test(l))) expect(merged).toContain(line);
    const config = parseJsonc(merged, [], { allowTrailingComma: true });
    expect(Object.keys(config.servers)).toEqual(['github', 'files', 'calc']);
    expect(config.servers.calc).toEqual({ type: 'stdio', command: process.execPath, args: expectedArgs() });
    expect(config.inputs).toHaveLength(1);
  });

  it("Claude Code's ~/.claude.json: every other key and server stays as it was", async () => {
    const state = {
      numStartups: 12,
      projects: { '/repo': { allowedTools: [] } },
      mcpServers: { sentry: { type: 'http', url: 'https://mcp.sentry.dev/mcp' } },
    };
    const path = seed(join(home, '.claude.json'), `${JSON.stringify(state, null, 2)}\n`);
    expect((await install('claude-code', quickstart, '--scope', 'user', '--name', 'calc')).code).toBe(0);
    const merged = JSON.parse(read(path));
    expect(merged).toEqual({
      ...state,
      mcpServers: { ...state.mcpServers, calc: expect.objectContaining({ type: 'stdio' }) },
    });
  });

  it('Gemini settings.json: other settings and servers stay, tab indentation is kept', async () => {
    const original =
      '{\n\t"theme": "GitHub",\n\t"mcpServers": {\n\t\t"docs": { "httpUrl": "https://docs.example/mcp" }\n\t}\n}\n';
    const path = seed(join(home, '.gemini/settings.json'), original);
    expect((await install('gemini', quickstart, '--name', 'calc')).code).toBe(0);
    const merged = read(path);
    expect(merged).toContain('\t\t"docs": { "httpUrl": "https://docs.example/mcp" },\n\t\t"calc": {\n\t\t\t"command"');
    expect(JSON.parse(merged)).toMatchObject({ theme: 'GitHub', mcpServers: { docs: {}, calc: {} } });
  });

  it('Codex config.toml: comments, other tables and servers stay; --force replaces only its own tables', async () => {
    const original = `# Codex settings
model = "o4-mini"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"] # pinned below

[mcp_servers.calc]
command = "old"

[mcp_servers.calc.env]
OLD = "1"

[profiles.fast]
model = "o4-mini" # fast profile
`;
    const path = seed(join(home, '.codex/config.toml'), original);
    const refused = await install('codex', quickstart, '--name', 'calc');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has a different server named "calc"; pass --force');
    expect(read(path)).toBe(original);

    expect((await install('codex', quickstart, '--name', 'calc', '--force')).code).toBe(0);
    const merged = read(path);
    for (const kept of [
      '# Codex settings',
      'args = ["-y", "docs-mcp"] # pinned below',
      'model = "o4-mini" # fast profile',
    ]) {
      expect(merged).toContain(kept);
    }
    expect(parseToml(merged)).toEqual({
      model: 'o4-mini',
      mcp_servers: {
        docs: { command: 'npx', args: ['-y', 'docs-mcp'] },
        calc: { command: process.execPath, args: expectedArgs() },
      },
      profiles: { fast: { model: 'o4-mini' } },
    });
  });

  it('installing the same server again changes nothing', async () => {
    await install('cursor', quickstart, '--name', 'calc');
    const path = join(home, '.cursor/mcp.json');
    const first = read(path);
    const again = await install('cursor', quickstart, '--name', 'calc');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already has "calc" as written');
    expect(read(path)).toBe(first);
  });

  it('--dry-run prints the change as a diff and writes nothing', async () => {
    const original = '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }\n  }\n}\n';
    const path = seed(join(home, '.cursor/mcp.json'), original);
    const run = await install('cursor', quickstart, '--name', 'calc', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`--- ${path}`);
    expect(run.stdout).toContain(
      '-    "docs": { "url": "https://docs.example/mcp" }\n+    "docs": { "url": "https://docs.example/mcp" },',
    );
    expect(run.stdout).toContain(`+      "command": "${process.execPath}",`);
    expect(read(path)).toBe(original);
    expect((await install('codex', quickstart, '--dry-run')).code).toBe(0);
    expect(existsSync(join(home, '.codex'))).toBe(false);
  });

  it.each([
    [
      'JSON',
      'cursor',
      '.cursor/mcp.json',
      '{\n  "mcpServers": {\n    "docs": { "url": \n  }\n}\n',
      /is not valid JSON \(ValueExpected at line 4, column 3\)/,
    ],
    [
      'TOML',
      'codex',
      '.codex/config.toml',
      '[mcp_servers.docs]\ncommand = \n',
      /is not valid TOML at line 2, column \d+/,
    ],
    [
      'a non-object servers key',
      'gemini',
      '.gemini/settings.json',
      '{ "mcpServers": [] }\n',
      /"mcpServers" in .* is not an object/,
    ],
  ])('a broken file (%s) is refused and left exactly as it was', async (_kind, client, file, text, message) => {
    const path = seed(join(home, file), text);
    const run = await install(client, quickstart);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('nothing was written');
    expect(read(path)).toBe(text);
  });
});

describe('switchboard install --list and usage errors', () => {
  it('--list --json shows each client and scope with its path on this OS', async () => {
    seed(join(home, '.cursor/mcp.json'), '{}');
    const run = await install('--list', '--json');
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      client: string;
      scope: string;
      path: string;
      exists: boolean;
      default: boolean;
    }[];
    expect(rows).toContainEqual({
      client: 'cursor',
      title: 'Cursor',
      scope: 'user',
      default: true,
      path: join(home, '.cursor/mcp.json'),
      exists: true,
    });
    expect(rows).toContainEqual(
      expect.objectContaining({
        client: 'vscode',
        scope: 'project',
        path: join(project, '.vscode/mcp.json'),
        exists: false,
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ client: 'codex', scope: 'user', path: join(home, '.codex/config.toml') }),
    );
    expect(new Set(rows.map((row) => row.client))).toEqual(
      new Set(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'codex', 'gemini']),
    );
  });

  it('--list honours XDG_CONFIG_HOME and CODEX_HOME', async () => {
    const env = cliEnv({ HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), CODEX_HOME: join(home, 'codex') });
    const run = await runCli(['install', '--list'], { cwd: project, env });
    expect(run.stdout).toContain(join(home, 'xdg/Claude/claude_desktop_config.json'));
    expect(run.stdout).toContain(join(home, 'codex/config.toml'));
  });

  it.each([
    [['install'], "missing argument 'client'"],
    [['install', 'cursor'], "missing argument 'target'"],
    [['install', 'zed', 'x.ts'], "'zed' is invalid for argument 'client'"],
    [['install', 'cursor', quickstart, '--scope', 'team'], "argument 'team' is invalid"],
    [
      ['install', 'claude-desktop', quickstart, '--scope', 'project'],
      'Claude Desktop has no project-scope config file',
    ],
    [['install', 'cursor', quickstart, '--name', 'my server'], 'server names are letters, digits'],
    [['install', 'cursor', quickstart, '-e', 'NOEQUALS'], '"NOEQUALS" is not KEY=VALUE'],
    [
      ['install', 'cursor', 'https://x.example/mcp', '-e', 'A=1'],
      '--env sets variables for a server the client starts',
    ],
    [['install', 'cursor', quickstart, '--bogus'], "unknown option '--bogus'"],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const run = await runCli(args, { cwd: project, env: cliEnv({ HOME: home }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('a missing entry file exits 1 and writes nothing', async () => {
    const run = await install('cursor', 'nowhere.ts');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Entry file not found: nowhere.ts');
    expect(existsSync(join(home, '.cursor'))).toBe(false);
  });
});
