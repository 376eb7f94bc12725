import { startServer } from './child-process.js';
import { loadHttp, openSessions } from './load-http.js';
import { loadStdio } from './load-stdio.js';
import { pinCores } from './pinning.js';
import type { CellResult } from './report.js';
import { medianCells, printReport } from './report.js';
import type { Era } from './requests.js';
import { Sample } from './stats.js';

/**
 * tools/call add(a, b) against every server, each in its own process, one after another in one run.
 * Environment: BENCH_SECONDS (measured seconds per cell, default 5), BENCH_WARMUP (default 1),
 * BENCH_CLIENTS (concurrent clients / in-flight requests, default 50), BENCH_SESSIONS (default 1000),
 * BENCH_ROUNDS (rounds over every cell, default 3; each cell reports its median round, which keeps one
 * disturbed round on a shared machine from deciding a ratio), BENCH_ONLY (run only servers whose name contains
 * this text), BENCH_PIN=0 (do not pin the runner and the servers to separate cores).
 */
interface ServerSpec {
  name: string;
  file: string;
  http: Era[];
  stdio: Era[];
  /** Keeps 2025-era sessions, so heap per idle session is measured. */
  sessions: boolean;
  /** Trivial pass-through middlewares registered (Switchboard only; the middleware rows). */
  middlewares?: number;
}

/** Switchboard with n trivial middlewares: HTTP rows whose ratio to plain Switchboard is the chain's cost. */
const withMiddlewares = (n: number): ServerSpec => ({
  name: `Switchboard + ${n} middleware${n === 1 ? '' : 's'}`,
  file: 'switchboard.ts',
  http: ['modern', 'legacy'],
  stdio: [],
  sessions: false,
  middlewares: n,
});

const SERVERS: ServerSpec[] = [
  { name: 'bare node:http', file: 'bare.ts', http: ['modern', 'legacy'], stdio: ['modern', 'legacy'], sessions: false },
  {
    name: 'Switchboard',
    file: 'switchboard.ts',
    http: ['modern', 'legacy'],
    stdio: ['modern', 'legacy'],
    sessions: true,
  },
  withMiddlewares(1),
  withMiddlewares(5),
  {
    name: 'Switchboard protected',
    file: 'switchboard-protected.ts',
    http: ['modern', 'legacy'],
    stdio: [],
    sessions: false,
  },
  {
    name: 'Switchboard metrics+tracing',
    file: 'switchboard-observed.ts',
    http: ['modern', 'legacy'],
    stdio: ['modern', 'legacy'],
    sessions: false,
  },
  {
    name: 'SDK v2 createMcpHandler',
    file: 'sdk-v2-modern.ts',
    http: ['modern'],
    stdio: ['modern', 'legacy'],
    sessions: false,
  },
  { name: 'SDK v2 stateful', file: 'sdk-v2-stateful.ts', http: ['legacy'], stdio: [], sessions: true },
  { name: 'SDK v1', file: 'sdk-v1.ts', http: ['legacy'], stdio: ['legacy'], sessions: true },
  { name: 'fastmcp', file: 'fastmcp.ts', http: ['legacy'], stdio: ['legacy'], sessions: true },
  { name: 'tmcp', file: 'tmcp.ts', http: ['modern', 'legacy'], stdio: ['modern', 'legacy'], sessions: true },
];

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmup = Number(process.env.BENCH_WARMUP ?? 1);
const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const sessionCount = Number(process.env.BENCH_SESSIONS ?? 1000);
const only = process.env.BENCH_ONLY;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const pinning = pinCores();

async function measure(spec: ServerSpec, transport: 'http' | 'stdio', era: Era): Promise<CellResult> {
  const cell: CellResult = { server: spec.name, transport, era, middlewares: spec.middlewares };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(spec.file, transport, {
      prefix: pinning.serverPrefix,
      env: { BENCH_MIDDLEWARES: String(spec.middlewares ?? 0) },
    });
    const running = server;
    const sample = new Sample();
    let cpuStart: Promise<number> = Promise.resolve(0);
    const window = { warmup, seconds, onMeasure: () => (cpuStart = running.cpuMicros()) };
    if (transport === 'http') await loadHttp(running.url, era, clients, window, sample);
    else await loadStdio(running.child, era, clients, window, sample);
    const cpu = (await running.cpuMicros()) - (await cpuStart);
    const calls = sample.ok + sample.failed;
    Object.assign(cell, {
      rps: sample.ok / seconds,
      p50: sample.percentile(50),
      p99: sample.percentile(99),
      cpuPerCall: calls === 0 ? Number.NaN : cpu / calls,
      errors: sample.failed,
    });
  } catch (error) {
    cell.note = (error as Error).message;
  } finally {
    await server?.stop();
  }
  process.stderr.write(
    `  ${spec.name} ${transport} ${era}: ${cell.cpuPerCall?.toFixed(1) ?? cell.note} µs/call, ${cell.rps?.toFixed(0)} req/s\n`,
  );
  return cell;
}

async function heapPerSession(spec: ServerSpec): Promise<number | string> {
  const server = await startServer(spec.file, 'http', { exposeGc: true, prefix: pinning.serverPrefix });
  try {
    await openSessions(server.url, 20);
    const before = await server.heapBytes();
    await openSessions(server.url, sessionCount);
    const after = await server.heapBytes();
    return (after - before) / sessionCount / 1024;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await server.stop();
  }
}

const heap: { server: string; kib: number | string }[] = [];
const chosen = SERVERS.filter(
  (s) => only === undefined || s.name.toLowerCase().includes(only.toLowerCase()) || s.file === 'bare.ts',
);
process.stderr.write(
  `benchmark: ${rounds} rounds, ${seconds}s per cell after ${warmup}s warm-up, ${clients} clients, node ${process.version}\n`,
);
const runs: CellResult[][] = [];
for (let round = 0; round < rounds; round++) {
  const cells: CellResult[] = [];
  for (const spec of chosen) {
    for (const era of spec.http) cells.push(await measure(spec, 'http', era));
    for (const era of spec.stdio) cells.push(await measure(spec, 'stdio', era));
  }
  runs.push(cells);
}
for (const spec of chosen) if (spec.sessions) heap.push({ server: spec.name, kib: await heapPerSession(spec) });
printReport(medianCells(runs), heap, {
  seconds,
  warmup,
  clients,
  sessions: sessionCount,
  rounds,
  pinning: pinning.note,
});
