import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../cli/cli-process.js';
import { cleanNpmEnv, exec, execOk } from './npm.js';

/**
 * The package as a stranger gets it: `npm pack`, installed into an empty folder outside the workspace (no
 * workspace links, no `switchboard-source` condition), then used as the README and `create` say. The registry
 * only serves what the npm cache lacks (`--prefer-offline`); the whole file takes about half a minute.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const packageDir = join(root, 'packages/switchboard');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const workspace = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const tsc = join(root, 'node_modules/typescript/bin/tsc');
/** Declarations of a dependency that do not type-check on their own (see the consumer test). */
const UPSTREAM_DECLARATIONS = 'node_modules/@electric-sql/pglite/';
const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};
const call = (name: string, args: Record<string, unknown>) =>
  `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: meta } })}\n`;

let scratch: string;
let tarball: string;
let consumer: string;
/** The scaffolds' `npm install`, started as soon as the package is installed so that they overlap the checks. */
let scaffoldInstall: Promise<string>;
const started = Date.now();

beforeAll(async () => {
  assertBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-package-'));
  const packed = await execOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
    cwd: packageDir,
  });
  tarball = join(scratch, (JSON.parse(packed) as { filename: string }[])[0]?.filename ?? '');
  consumer = join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await execOk(
    'npm',
    [
      ...INSTALL,
      tarball,
      `zod@${manifest.dependencies.zod}`,
      `@types/node@${workspace.devDependencies['@types/node']}`,
    ],
    { cwd: consumer, timeoutMs: 150_000 },
  );
  await execOk(join(consumer, 'node_modules/.bin/switchboard'), ['create', 'weather', '--switchboard', tarball], {
    cwd: scratch,
  });
  await execOk(
    join(consumer, 'node_modules/.bin/switchboard'),
    ['create', 'books', '--template', 'sql', '--switchboard', tarball],
    { cwd: scratch },
  );
  // One install after the other: both fill the same npm cache.
  scaffoldInstall = execOk('npm', INSTALL, { cwd: join(scratch, 'weather'), timeoutMs: 150_000 }).then(() =>
    execOk('npm', INSTALL, { cwd: join(scratch, 'books'), timeoutMs: 150_000 }),
  );
  // Awaited by the scaffold's test; until then a failure must not surface as an unhandled rejection.
  scaffoldInstall.catch(() => undefined);
}, 180_000);

afterAll(async () => {
  console.info(
    `[packed package] pack, two installs and their checks took ${Math.round((Date.now() - started) / 1000)} s`,
  );
  await rm(scratch, { recursive: true, force: true });
}, 120_000);

// Each step is bounded well above its usual few seconds: on a machine shared by several test runs, npm and tsc
// slow down a lot.
describe('the packed switchboard-mcp, installed into an empty folder', { timeout: 120_000 }, () => {
  it("runs the README's server with plain node, over stdio and over HTTP", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const code = /## A server in a dozen lines\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(code).toContain("from 'switchboard-mcp'");
    writeFileSync(join(consumer, 'readme-server.js'), code);
    const stdio = await exec('node', ['readme-server.js', '--stdio'], {
      cwd: consumer,
      input: call('add', { a: 2, b: 3 }),
    });
    expect(stdio.code).toBe(0);
    expect(JSON.parse(stdio.stdout)).toMatchObject({ result: { content: [{ text: '5' }] } });

    const http = spawn('node', ['readme-server.js'], {
      cwd: consumer,
      env: { ...cleanNpmEnv(), PORT: '0', SWITCHBOARD_LOG_LEVEL: 'info' },
    });
    let logs = '';
    const url = await new Promise<string>((resolve, reject) => {
      http.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        logs += chunk;
        const found = /"url":"(http:[^"]+)"/.exec(logs)?.[1];
        if (found !== undefined) resolve(found);
      });
      http.once('exit', () => reject(new Error(`the server exited:\n${logs}`)));
    });
    const reply = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'add',
      },
      body: call('add', { a: 40, b: 2 }),
    });
    expect(await reply.json()).toMatchObject({ result: { content: [{ text: '42' }] } });
    http.kill('SIGTERM');
    const [exitCode] = await new Promise<[number | null]>((resolve) => http.once('exit', (c) => resolve([c])));
    expect(exitCode).toBe(0);
  });

  it("type-checks a consumer against the tarball's types (NodeNext and bundler resolution), then runs it", async () => {
    copyFileSync(fileURLToPath(new URL('./fixtures/consumer.ts', import.meta.url)), join(consumer, 'consumer.ts'));
    const base = { target: 'ES2023', lib: ['ES2023'], types: ['node'], strict: true };
    // NodeNext with skipLibCheck off also checks every declaration file (the slow part); bundler resolution, as
    // most projects set it up (skipLibCheck on), only has to find the same types through the same `exports`.
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...base,
          skipLibCheck: false,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          outDir: 'out',
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'tsconfig.bundler.json'),
      JSON.stringify({
        compilerOptions: { ...base, skipLibCheck: true, module: 'preserve', moduleResolution: 'bundler', noEmit: true },
        files: ['consumer.ts'],
      }),
    );
    await execOk('node', [tsc, '-p', 'tsconfig.bundler.json'], { cwd: consumer });
    // With declarations checked, an error may only come from a dependency's own files, never switchboard-mcp's:
    // PGlite's declarations name WebAssembly and Emscripten types it does not depend on, so they fail on their own.
    const strict = await exec('node', [tsc, '-p', 'tsconfig.json'], { cwd: consumer });
    const errors = strict.stdout.split('\n').filter((line) => /: error TS\d+/.test(line));
    expect(errors.filter((line) => !line.startsWith(UPSTREAM_DECLARATIONS))).toEqual([]);
    const run = await exec('node', ['out/consumer.js', '--stdio'], {
      cwd: consumer,
      input: call('shout', { text: 'hi' }),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: { structuredContent: { loud: 'HI' } } });
  });

  it('links the switchboard bin, which runs a TypeScript entry with the tsx it brings', async () => {
    const bin = join(consumer, 'node_modules/.bin/switchboard');
    expect((await execOk(bin, ['--version'], { cwd: consumer })).trim()).toBe(manifest.version);
    const run = await exec(bin, ['run', 'consumer.ts', '--stdio'], {
      cwd: consumer,
      input: call('shout', { text: 'ts' }),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: { structuredContent: { loud: 'TS' } } });
  });

  it('`switchboard create` scaffolds a project whose `npm install && npm test` pass against the tarball', async () => {
    const app = join(scratch, 'weather');
    await scaffoldInstall;
    const test = await exec('npm', ['test'], { cwd: app });
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/# pass 2\n# fail 0/);
    const start = await exec(join(app, 'node_modules/.bin/switchboard'), ['run', 'src/server.ts', '--stdio'], {
      cwd: app,
      input: call('greet', { name: 'Ada' }),
    });
    expect(JSON.parse(start.stdout)).toMatchObject({ result: { content: [{ text: 'Hello, Ada!' }] } });
  });

  it('`switchboard create --template sql` scaffolds a PGlite project whose `npm install && npm test` pass', async () => {
    const app = join(scratch, 'books');
    await scaffoldInstall;
    const test = await exec('npm', ['test'], { cwd: app, timeoutMs: 300_000 });
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/# pass 2\n# fail 0/);
  }, 400_000);
});
