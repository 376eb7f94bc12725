import { pino } from 'pino';
import type { Middleware } from 'switchboard-mcp';
import { Switchboard } from 'switchboard-mcp';
import { accessLog, createMetrics, tracing } from 'switchboard-mcp/observability';
import { quota } from 'switchboard-mcp/quota';
import { TestClient } from 'switchboard-mcp/testing';
import { z } from 'zod';
import { countingTracerProvider } from './counting-tracer.js';

/**
 * CPU time per `tools/call` of `add` in one process, through the in-memory client (the same connection layer
 * as the transports, no sockets): the server with nothing on, then with each operational feature, then all of
 * them. CPU time, not wall time, so a busy shared machine disturbs it less than the HTTP bench.
 * Environment: COST_CALLS (calls per measurement, default 20000), COST_ROUNDS (default 5; the median is kept).
 */
const calls = Number(process.env.COST_CALLS ?? 20_000);
const rounds = Number(process.env.COST_ROUNDS ?? 5);
const quiet = pino({ level: 'info' }, pino.destination('/dev/null'));

const variants: { name: string; middleware: () => Middleware[] }[] = [
  { name: 'nothing on', middleware: () => [] },
  // What any first middleware costs: the chain itself (the request's middleware view, one more async frame).
  { name: 'one empty middleware', middleware: () => [(_call, next) => next()] },
  { name: 'metrics', middleware: () => [createMetrics().middleware] },
  { name: 'tracing (no SDK: API no-op)', middleware: () => [tracing()] },
  { name: 'tracing (recording provider)', middleware: () => [tracing({ tracerProvider: countingTracerProvider })] },
  {
    name: 'metrics + tracing (recording)',
    middleware: () => [createMetrics().middleware, tracing({ tracerProvider: countingTracerProvider })],
  },
  { name: 'access log (pino to /dev/null)', middleware: () => [accessLog({ logger: quiet })] },
  { name: 'quota (memory, 3 budgets)', middleware: () => [quotaMiddleware()] },
];

function quotaMiddleware(): Middleware {
  const huge = { points: 1e9, durationSec: 60 };
  return quota({ perPrincipal: huge, perTool: { add: huge }, global: huge });
}

function build(middleware: Middleware[]): Switchboard {
  const server = new Switchboard({ name: 'cost', version: '1.0.0', logger: quiet });
  server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  for (const m of middleware) server.use(m);
  return server;
}

async function microsPerCall(client: TestClient, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await client.callTool('add', { a: i, b: 1 });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const rows: string[] = [];
for (const era of ['modern', 'legacy'] as const) {
  const clients = variants.map((v) => ({ name: v.name, client: new TestClient(build(v.middleware()), { era }) }));
  for (const { client } of clients) await microsPerCall(client, 2_000);
  const samples = new Map<string, number[]>(clients.map((c) => [c.name, []]));
  // Interleaved rounds, so a burst of load on the machine hits every variant alike.
  for (let round = 0; round < rounds; round++) {
    for (const { name, client } of clients) samples.get(name)?.push(await microsPerCall(client, calls));
  }
  const base = median(samples.get('nothing on') ?? []);
  for (const { name } of clients) {
    const value = median(samples.get(name) ?? []);
    const extra = value - base;
    rows.push(
      `| ${era === 'modern' ? '2026-07-28' : '2025-11-25'} | ${name} | ${value.toFixed(2)} | ${name === 'nothing on' ? '–' : `${extra >= 0 ? '+' : ''}${extra.toFixed(2)}`} | ${((value / base) * 100).toFixed(0)} % |`,
    );
  }
}
console.log(`node ${process.version}; ${calls} calls × ${rounds} rounds per cell, median; in-memory client\n`);
console.log('| era | enabled | CPU µs/call | extra µs/call | vs nothing on |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
