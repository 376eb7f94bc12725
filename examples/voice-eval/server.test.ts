import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../../test/support/services.js';
import type { FailuresReport } from './src/schemas/failures.js';
import { SETUP_TIMEOUT_MS } from './test-support/seeded-database.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ARGS = ['--conditions=switchboard-source', '--import', 'tsx', 'server.ts'];

/** Starts `server.ts` on an ephemeral port as `npm start` would, and resolves with its URL once it listens. */
async function startHttp(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const child = spawn(process.execPath, ARGS, {
    cwd: here,
    env: { ...process.env, ...env, PORT: '0', SWITCHBOARD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server.ts exited with ${code}: ${logs.join('\n')}`)));
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      logs.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'MCP server listening' && entry.url !== undefined) resolve(entry.url);
    });
  });
  return { child, url, logs };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  return ((await exited) as [number | null])[0];
}

async function regressionsOf(client: Client): Promise<string[]> {
  const result = await client.callTool({ name: 'list_failures_last_7d', arguments: { regressions_only: true } });
  const report = result.structuredContent as unknown as FailuresReport;
  return report.groups.map((g) => `${g.agent}/${g.suite}/${g.assertion}`).sort();
}

const REGRESSIONS = [
  'clinic-front-desk/appointment-booking/insurance',
  'clinic-front-desk/insurance-intake/insurance',
  'restaurant-host/reservations/latency_budget',
];

describe('server.ts on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'voice-eval-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it(
    'migrates and seeds on first start, serves HTTP, and finds this week’s regressions',
    async () => {
      const { child, url, logs } = await startHttp({ VOICE_EVAL_DATA_DIR: dataDir, DATABASE_URL: '' });
      try {
        expect(new URL(url).hostname).toBe('127.0.0.1');
        expect(logs.some((line) => line.includes('seeded the demo eval data'))).toBe(true);
        const client = new Client({ name: 'server-test', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url)));
        expect(await regressionsOf(client)).toEqual(REGRESSIONS);
        await client.close();
      } finally {
        expect(await stop(child)).toBe(0);
      }
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'serves stdio with --stdio on the same data, without seeding again',
    async () => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [...ARGS, '--stdio'],
        cwd: here,
        env: { ...(process.env as Record<string, string>), VOICE_EVAL_DATA_DIR: dataDir, DATABASE_URL: '' },
        stderr: 'pipe',
      });
      const logs: string[] = [];
      transport.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      const client = new Client({ name: 'server-test', version: '1.0.0' });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(['get_eval_run', 'list_failures_last_7d']);
        const run = await client.callTool({ name: 'get_eval_run', arguments: { run_id: 1 } });
        expect((run.structuredContent as { run: { id: number } }).run.id).toBe(1);
        expect(logs.join('')).not.toContain('seeded');
      } finally {
        await client.close();
      }
    },
    SETUP_TIMEOUT_MS,
  );
});

describe.skipIf(postgresUrl() === undefined)('server.ts on PostgreSQL (DATABASE_URL)', () => {
  it(
    'migrates, seeds and serves the same tools',
    async () => {
      const db = await createTestDatabase({ url: postgresUrl() });
      const { child, url } = await startHttp({ DATABASE_URL: db.url ?? '' });
      try {
        const client = new Client({ name: 'server-test', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url)));
        expect(await regressionsOf(client)).toEqual(REGRESSIONS);
        await client.close();
        expect((await db.query('SELECT count(*)::int AS n FROM agents')).rows[0]).toEqual({ n: 6 });
      } finally {
        expect(await stop(child)).toBe(0);
        await db.dispose();
      }
    },
    SETUP_TIMEOUT_MS,
  );
});
