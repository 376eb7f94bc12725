import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, CliProcess, cliEnv, runCli } from './cli-process.js';

/** `switchboard bench` against the quickstart over HTTP and stdio, both eras; runs are bounded by a request count. */
const quickstart = join(fileURLToPath(new URL('../../', import.meta.url)), 'examples/quickstart/server.ts');
const stdio = ['--', process.execPath, BIN, 'run', quickstart, '--stdio'];

let http: CliProcess;
let url: string;

beforeAll(async () => {
  assertBuilt();
  http = new CliProcess(['run', quickstart, '--port', '0'], { env: cliEnv({ SWITCHBOARD_LOG_LEVEL: 'info' }) });
  [, url = ''] = await http.waitFor('stderr', /"url":"(http:[^"]+)"/);
}, 60_000);
afterAll(() => http?.stop());

interface BenchJson {
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  protocolVersion: string;
  p50Ms: number;
  p999Ms: number;
}

describe('switchboard bench', { timeout: 120_000 }, () => {
  it.each([
    ['http', '2026-07-28'],
    ['http', '2025-11-25'],
    ['stdio', '2026-07-28'],
    ['stdio', '2025-11-25'],
  ])('checks every answer over %s in the %s era', async (transport, era) => {
    const common = ['add', 'a=1', 'b=2', '-c', '4', '-d', '60', '-n', '200', '--expect', '3', '--era', era, '--json'];
    const run = await runCli(transport === 'http' ? ['bench', url, ...common] : ['bench', ...common, ...stdio]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as BenchJson;
    expect(result).toMatchObject({ requests: 200, errors: 0, protocolVersion: era });
    expect(result.p999Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });

  it('counts answers that fail the check as errors and exits 1', async () => {
    const run = await runCli(['bench', url, 'add', 'a=1', 'b=2', '-n', '20', '--expect', '4', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      requests: 20,
      errors: 20,
      errorKinds: { 'content without the expected text': 20 },
    });
  });

  it('prints a table of req/s, p50, p99, p999 and errors', async () => {
    const run = await runCli(['bench', url, 'add', 'a=1', 'b=2', '-n', '50']);
    expect(run.stdout).toMatch(/requests +req\/s +p50 +p99 +p999 +max +errors\n50 +[\d.]+ +[\d.]+ ms/);
  });

  it('refuses a bad concurrency with exit 2', async () => {
    const run = await runCli(['bench', url, 'add', '-c', '0']);
    expect(run.code).toBe(2);
  });
});
