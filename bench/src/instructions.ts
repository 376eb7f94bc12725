import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callgrindIn, haveCallgrind } from './callgrind.js';
import { startServer } from './child-process.js';
import { openHttpLoad } from './load-http.js';
import { openStdioLoad } from './load-stdio.js';
import { pinCores } from './pinning.js';
import { ERA_LABEL, times } from './report.js';
import type { Era } from './requests.js';
import { Sample } from './stats.js';

/**
 * The deterministic mode: instructions the server process executes per tools/call, counted by valgrind's callgrind
 * — no clock, no load-generator contention, no other tenant of the machine in the figure. Each server starts under
 * callgrind with instrumentation off, is warmed up uninstrumented (so the JIT has settled), then counted over an
 * idle window (Ir(0)) and over N calls (Ir(N)); per call is (Ir(N) − Ir(0)) / N. Every answer is still checked.
 * Environment: BENCH_CALLS (N, default 2000), BENCH_WARMUP_CALLS (default 4000), BENCH_CLIENTS (calls in flight,
 * default 8), BENCH_REPEAT (counted windows per cell, default 2), BENCH_ONLY (server names containing this text).
 */
interface Cell {
  server: string;
  file: string;
  transport: 'http' | 'stdio';
  era: Era;
  middlewares?: number;
}

const BARE = 'bare node:http';
const cells: Cell[] = [];
for (const transport of ['http', 'stdio'] as const) {
  for (const era of ['modern', 'legacy'] as const) {
    cells.push({ server: BARE, file: 'bare.ts', transport, era });
    cells.push({ server: 'Switchboard', file: 'switchboard.ts', transport, era });
    if (transport === 'http') {
      for (const n of [1, 5])
        cells.push({ server: `Switchboard + ${n} mw`, file: 'switchboard.ts', transport, era, middlewares: n });
    }
    const sdk = era === 'modern' || transport === 'stdio' ? 'sdk-v2-modern.ts' : 'sdk-v2-stateful.ts';
    cells.push({ server: sdk === 'sdk-v2-modern.ts' ? 'SDK v2' : 'SDK v2 stateful', file: sdk, transport, era });
  }
}

const calls = Number(process.env.BENCH_CALLS ?? 2000);
const warmupCalls = Number(process.env.BENCH_WARMUP_CALLS ?? 4000);
const inFlight = Number(process.env.BENCH_CLIENTS ?? 8);
const repeat = Number(process.env.BENCH_REPEAT ?? 2);
const only = process.env.BENCH_ONLY?.toLowerCase();

/** A `more()` that lets exactly `count` calls start. */
function exactly(count: number): () => boolean {
  let started = 0;
  return () => started++ < count;
}

async function count(cell: Cell, dir: string, prefix: readonly string[]): Promise<number[]> {
  const callgrind = callgrindIn(dir);
  const server = await startServer(cell.file, cell.transport, {
    prefix: [...prefix, ...callgrind.prefix],
    env: { BENCH_MIDDLEWARES: String(cell.middlewares ?? 0) },
  });
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('no pid');
    const sample = new Sample();
    sample.recording = true;
    const load =
      cell.transport === 'http'
        ? await openHttpLoad(server.url, cell.era, inFlight)
        : await openStdioLoad(server.child, cell.era, inFlight);
    const drive = (n: number) => load.drive(exactly(n), sample);
    try {
      await drive(warmupCalls);
      await callgrind.instrument(pid);
      const perCall: number[] = [];
      for (let i = 0; i < repeat; i++) {
        await callgrind.dump(pid); // resets the counters
        const idle = await callgrind.dump(pid);
        await drive(calls);
        const busy = await callgrind.dump(pid);
        perCall.push((busy - idle) / calls);
      }
      // A rare failure is a keep-alive race while the server sat in a dump; many mean the server is broken.
      if (sample.failed > sample.ok / 100) throw new Error(`${sample.failed} wrong or failed answers`);
      return perCall;
    } finally {
      await load.close();
    }
  } finally {
    await server.stop();
  }
}

if (!(await haveCallgrind())) {
  process.stderr.write('instructions: valgrind (with callgrind_control) is not installed: apt-get install valgrind\n');
  process.exit(1);
}
const pinning = pinCores();
const chosen = cells.filter((c) => only === undefined || c.server === BARE || c.server.toLowerCase().includes(only));
process.stderr.write(
  `instructions: ${calls} calls per window × ${repeat}, after ${warmupCalls} warm-up calls, ${inFlight} in flight, node ${process.version}\n`,
);
const results = new Map<Cell, number[] | string>();
for (const cell of chosen) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-callgrind-'));
  try {
    const perCall = await count(cell, dir, pinning.serverPrefix);
    results.set(cell, perCall);
    process.stderr.write(
      `  ${cell.server} ${cell.transport} ${cell.era}: ${perCall.map((v) => v.toFixed(0)).join(', ')} Ir/call\n`,
    );
  } catch (error) {
    results.set(cell, (error as Error).message);
    process.stderr.write(`  ${cell.server} ${cell.transport} ${cell.era}: failed: ${(error as Error).message}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const lines = [
  `valgrind callgrind, node ${process.version}; ${calls} calls per counted window, ${repeat} windows per cell, ${inFlight} in flight, after ${warmupCalls} uninstrumented warm-up calls; server process only.`,
  '',
  '| transport | era | server | instructions/call (Ir) | spread | ÷ bare |',
  '|---|---|---|---:|---:|---:|',
];
for (const [cell, value] of results) {
  if (typeof value === 'string') {
    lines.push(`| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | failed: ${value} | | |`);
    continue;
  }
  const base = [...results].find(
    ([c, v]) => c.server === BARE && c.transport === cell.transport && c.era === cell.era && typeof v !== 'string',
  )?.[1] as number[] | undefined;
  const spread = ((100 * (Math.max(...value) - Math.min(...value))) / mean(value)).toFixed(1);
  lines.push(
    `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | ${Math.round(mean(value)).toLocaleString('en-US')} | ${spread} % | **${times(mean(value), base && mean(base))}** |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
