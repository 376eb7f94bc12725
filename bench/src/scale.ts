import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import type { ServerProcess } from './child-process.js';
import { startServer } from './child-process.js';
import { startHaproxy } from './haproxy.js';
import { loadHttp } from './load-http.js';
import type { Era } from './requests.js';
import { Sample } from './stats.js';

/**
 * Issue 10 §4: tools/call add(a, b) throughput with shared stores. Cells: memory stores on one instance; Redis
 * stores on one instance (direct, and behind HAProxy); Redis stores on three instances behind HAProxy
 * (round-robin, no stickiness). Prints the 3-vs-1 scaling ratio behind the balancer and the Redis-vs-memory
 * overhead on one instance, for both eras. Environment: REDIS_URL (default redis://127.0.0.1:6379),
 * BENCH_SECONDS (default 5), BENCH_WARMUP (default 1), BENCH_CLIENTS (default 50).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
process.env.REDIS_URL ||= 'redis://127.0.0.1:6379';
process.env.BENCH_PREFIX = `sbbench:${randomBytes(4).toString('hex')}:`;

interface Cell {
  setup: string;
  era: Era;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuPerCall: number;
}

async function startInstances(stores: 'memory' | 'redis', count: number): Promise<ServerProcess[]> {
  process.env.BENCH_STORES = stores;
  return Promise.all(Array.from({ length: count }, () => startServer('switchboard-shared.ts', 'http')));
}

async function measure(setup: string, url: string, era: Era, servers: ServerProcess[]): Promise<Cell> {
  const sample = new Sample();
  let cpuStart: number[] = [];
  const started = { at: 0 };
  await loadHttp(
    url,
    era,
    CLIENTS,
    {
      warmup: WARMUP,
      seconds: SECONDS,
      onMeasure: () => {
        started.at = performance.now();
        void Promise.all(servers.map((s) => s.cpuMicros())).then((cpu) => {
          cpuStart = cpu;
        });
      },
    },
    sample,
  );
  const elapsed = (performance.now() - started.at) / 1000;
  const cpuEnd = await Promise.all(servers.map((s) => s.cpuMicros()));
  const cpu = cpuEnd.reduce((sum, value, i) => sum + value - (cpuStart[i] ?? value), 0);
  return {
    setup,
    era,
    rps: sample.ok / elapsed,
    p50: sample.percentile(50),
    p99: sample.percentile(99),
    errors: sample.failed,
    cpuPerCall: sample.ok === 0 ? Number.NaN : cpu / sample.ok,
  };
}

async function run(): Promise<void> {
  const cells: Cell[] = [];
  const eras: Era[] = ['modern', 'legacy'];
  for (const [setup, stores, count, balanced] of [
    ['memory stores, 1 instance', 'memory', 1, false],
    ['Redis stores, 1 instance', 'redis', 1, false],
    ['Redis stores, 1 instance behind HAProxy', 'redis', 1, true],
    ['Redis stores, 3 instances behind HAProxy', 'redis', 3, true],
  ] as const) {
    const servers = await startInstances(stores, count);
    const lb = balanced ? await startHaproxy(servers.map((s) => s.url)) : undefined;
    try {
      for (const era of eras) {
        const cell = await measure(setup, lb?.url ?? (servers[0] as ServerProcess).url, era, servers);
        cells.push(cell);
        console.error(`${setup} ${era}: ${cell.rps.toFixed(0)} req/s`);
      }
    } finally {
      await lb?.stop();
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
  print(cells);
}

function print(cells: Cell[]): void {
  const label = { modern: '2026-07-28', legacy: '2025-11-25' };
  console.log(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ${SECONDS} s per cell after ${WARMUP} s warm-up; ${CLIENTS} concurrent clients.\n`,
  );
  console.log('| setup | era | req/s | p50 ms | p99 ms | server CPU µs/call (all instances) | errors |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const c of cells) {
    console.log(
      `| ${c.setup} | ${label[c.era]} | ${c.rps.toFixed(0)} | ${c.p50.toFixed(2)} | ${c.p99.toFixed(2)} | ${c.cpuPerCall.toFixed(1)} | ${c.errors} |`,
    );
  }
  const find = (setup: string, era: Era) => cells.find((c) => c.setup === setup && c.era === era)?.rps ?? Number.NaN;
  console.log('');
  for (const era of ['modern', 'legacy'] as const) {
    const scaling =
      find('Redis stores, 3 instances behind HAProxy', era) / find('Redis stores, 1 instance behind HAProxy', era);
    const overhead = find('Redis stores, 1 instance', era) / find('memory stores, 1 instance', era);
    console.log(
      `${label[era]}: scaling 3 vs 1 instance behind HAProxy ${scaling.toFixed(2)}×; Redis stores vs memory on one instance ${(100 * overhead).toFixed(0)} % of memory throughput`,
    );
  }
}

await run();
