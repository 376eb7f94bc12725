import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { node22 } from './node22.js';

/**
 * Runs the official MCP conformance suite against the fixture server: the frozen requirement sets of both
 * revisions, then every scenario (`--suite all`) against the expected-failures baseline. Exits non-zero if any
 * run fails.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/dist/index.js', {
  paths: [root],
});
const node = node22(join(root, 'node_modules', '.cache', 'switchboard'));
const RUN_TIMEOUT_MS = 300_000;

const runs: string[][] = [
  ['--requirements', '2025-11-25'],
  ['--requirements', '2026-07-28'],
  ['--suite', 'all', '--expected-failures', join(here, 'expected-failures.yml')],
];

async function startFixture(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--conditions=switchboard-source', '--import', 'tsx', join(here, 'server.ts')],
    {
      cwd: here,
      env: { ...process.env, PORT: '0', SWITCHBOARD_LOG_LEVEL: 'fatal' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const [url] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the fixture server exited before listening');
    }),
  ])) as [string];
  return { url, stop: () => child.kill('SIGTERM') };
}

async function runConformance(url: string, args: string[]): Promise<number> {
  process.stdout.write(`\n### conformance server ${args.join(' ')}\n`);
  const child = spawn(
    node,
    [cli, 'server', '--url', url, '--output-dir', join(root, 'results', 'conformance'), ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let summary = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    // The per-scenario chatter is long; the summary and anything after it is what a reader needs.
    if (line.includes('=== SUMMARY ===')) summary = true;
    if (summary || /FAILURE|✗|Error/.test(line)) process.stdout.write(`${line}\n`);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return code ?? 1;
}

const fixture = await startFixture();
let failed = 0;
try {
  for (const args of runs) if ((await runConformance(fixture.url, args)) !== 0) failed++;
} finally {
  fixture.stop();
}
process.stdout.write(failed === 0 ? '\nconformance: every run passed\n' : `\nconformance: ${failed} run(s) failed\n`);
process.exit(failed === 0 ? 0 : 1);
