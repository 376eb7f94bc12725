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
 * idle window (Ir(0)) and over N calls (Ir(N)); per call is (Ir(N) − Ir(0)) / N, the smallest over
 * BENCH_REPEAT windows (a late TurboFan compile or an extra scavenge only ever adds). Every answer is still checked.
 * Environment: BENCH_CALLS (N, default 500), BENCH_WARMUP_CALLS (default 5000), BENCH_CLIENTS (calls in flight,
 * default 8), BENCH_REPEAT (counted windows per cell, default 3), BENCH_ONLY (a regular expression the server names
 * must match, e.g. `bare|^switchboard$`), BENCH_TRANSPORT (http or stdio only), BENCH_ERA (modern or legacy only),
 * BENCH_KEEP_DUMPS=1 (keep the dumps for `callgrind_annotate`), BENCH_NODE_FLAGS (more node flags for the server).
 * Counts do not depend on the machine's load, so cells may run as several invocations at once (with BENCH_PIN=0).
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

/**
 * One thread for V8's compiler and GC, so their work lands in the window that caused it; a fixed GC schedule
 * (fixed new-space size and heap growth, no memory reducer), because the idle moments between windows otherwise
 * start a full incremental mark that one window pays for; no bytecode flushing, which the same idle moments
 * would trigger and the next window would pay for by compiling again. Both are the same for every server.
 */
const DETERMINISTIC_V8 = ['--single-threaded', '--predictable-gc-schedule', '--no-flush-bytecode'];

/**
 * Connections stay open across the pauses between windows (a dump under valgrind can take longer than the 4–5 s
 * idle timeouts of undici and Node): a reconnect inside a window would count a connection, not calls.
 */
const KEEP_ALIVE_MS = 3_600_000;

const calls = Number(process.env.BENCH_CALLS ?? 500);
const warmupCalls = Number(process.env.BENCH_WARMUP_CALLS ?? 5000);
const inFlight = Number(process.env.BENCH_CLIENTS ?? 8);
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY, 'i');
const onlyTransport = process.env.BENCH_TRANSPORT;
const onlyEra = process.env.BENCH_ERA;
/** Keep each cell's callgrind dumps (for `callgrind_annotate`) instead of deleting them. */
const keepDumps = process.env.BENCH_KEEP_DUMPS === '1';
/** More node flags for the server, e.g. `--perf-basic-prof` to name JIT code in the dumps (see README). */
const extraNodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');

/** A `more()` that lets exactly `count` calls start. */
function exactly(count: number): () => boolean {
  let started = 0;
  return () => started++ < count;
}

async function count(cell: Cell, dir: string, prefix: readonly string[]): Promise<number[]> {
  const callgrind = callgrindIn(dir);
  const server = await startServer(cell.file, cell.transport, {
    prefix: [...prefix, ...callgrind.prefix],
    nodeFlags: [...DETERMINISTIC_V8, ...extraNodeFlags],
    env: { BENCH_MIDDLEWARES: String(cell.middlewares ?? 0), BENCH_KEEP_ALIVE_MS: String(KEEP_ALIVE_MS) },
  });
  try {
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('no pid');
    const sample = new Sample();
    sample.recording = true;
    const load =
      cell.transport === 'http'
        ? await openHttpLoad(server.url, cell.era, inFlight, KEEP_ALIVE_MS)
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
const chosen = cells.filter(
  (c) =>
    (only === undefined || only.test(c.server)) &&
    (onlyTransport === undefined || c.transport === onlyTransport) &&
    (onlyEra === undefined || c.era === onlyEra),
);
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
    if (keepDumps) process.stderr.write(`    dumps kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const least = (values: number[]) => Math.min(...values);
const lines = [
  `valgrind callgrind, node ${process.version}; ${calls} calls per counted window, ${repeat} windows per cell (least shown), ${inFlight} in flight, after ${warmupCalls} uninstrumented warm-up calls; server process only, node ${DETERMINISTIC_V8.join(' ')}, idle connections kept open.`,
  '',
  '| transport | era | server | instructions/call (Ir, least window) | spread over windows | ÷ bare |',
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
  const spread = ((100 * (Math.max(...value) - least(value))) / least(value)).toFixed(1);
  lines.push(
    `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | ${Math.round(least(value)).toLocaleString('en-US')} | ${spread} % | **${times(least(value), base && least(base))}** |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
