/**
 * The SQL benchmark: the leads tools under 50 concurrent Streamable HTTP clients, Switchboard's SQL tools vs MCP
 * Toolbox and DBHub running the same statements on the same PostgreSQL database, then Switchboard on PGlite.
 * Environment: SQL_BENCH_URL (default postgres://postgres@127.0.0.1:5432/leads_1m, migrated and seeded),
 * SQL_BENCH_SECONDS (per cell, default 10), SQL_BENCH_WARMUP (default 2), SQL_BENCH_CLIENTS (default 50),
 * SQL_BENCH_RATE (calls per second in total for the open-loop cells, default 200; 0 measures the closed loop only),
 * SQL_BENCH_ONLY (servers whose name contains this), SQL_BENCH_PGLITE_DIR (default .switchboard/sql-bench-pglite),
 * SQL_BENCH_PGLITE_LEADS (leads seeded there on first use, default 10,000; 0 skips PGlite).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openLeadsDatabase } from '../../../examples/leads/database.js';
import { isSeeded, seedLeadsDatabase } from '../../../examples/leads/seed/index.js';
import { startServer } from '../child-process.js';
import { type LoadResult, runLoad } from './load.js';
import { PEER_ROLE, preparePeerRole } from './peer-role.js';
import { type Peer, startDbhub, startToolbox } from './peers.js';
import { loadWorkload, peerArgs, type Workload } from './workload.js';

const url = process.env.SQL_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/leads_1m';
const seconds = Number(process.env.SQL_BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.SQL_BENCH_WARMUP ?? 2);
const clients = Number(process.env.SQL_BENCH_CLIENTS ?? 50);
const rate = Number(process.env.SQL_BENCH_RATE ?? 200);
const only = process.env.SQL_BENCH_ONLY;
const pgliteDir = process.env.SQL_BENCH_PGLITE_DIR ?? '.switchboard/sql-bench-pglite';
const pgliteLeads = Number(process.env.SQL_BENCH_PGLITE_LEADS ?? 10_000);
const POOL_SIZE = 10; // Switchboard's default pool; the peers get the same.
const TOOLS: (keyof Workload)[] = ['get_lead_by_phone', 'search_leads', 'unified_pipeline_summary'];
const TARGET_P99: Record<keyof Workload, number> = {
  get_lead_by_phone: 5,
  search_leads: 15,
  unified_pipeline_summary: 100,
};

interface Server {
  name: string;
  url: string;
  era: 'legacy' | 'modern';
  peer: boolean;
  stop(): Promise<void>;
}
interface Cell extends Partial<LoadResult> {
  server: string;
  tool: keyof Workload;
  /** Closed loop (max throughput), or open loop at `rate` calls per second. */
  mode: 'closed' | 'open';
  /** The machine's 1-minute load average when the cell ended (the machine is shared). */
  load?: number;
  note?: string;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
// The leads server migrates (a first start on a million leads backfills its search columns) and checks its SQL.
process.env.BENCH_START_TIMEOUT_MS ??= '1800000';

async function startSwitchboard(env: Record<string, string | undefined>): Promise<Server[]> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  try {
    const running = await startServer('../sql/leads-server.ts', 'http');
    return [
      { name: 'Switchboard', url: running.url, era: 'legacy', peer: false, stop: () => running.stop() },
      { name: 'Switchboard (2026-07-28)', url: running.url, era: 'modern', peer: false, stop: async () => {} },
    ];
  } finally {
    process.env = saved;
  }
}

async function measureAll(servers: Server[], workload: Workload, cells: Cell[]): Promise<void> {
  const modes: Cell['mode'][] = rate > 0 ? ['closed', 'open'] : ['closed'];
  for (const tool of TOOLS) {
    for (const mode of modes) {
      for (const server of servers) {
        if (only !== undefined && !server.name.includes(only)) continue;
        const calls = server.peer ? workload[tool].map((args) => peerArgs(tool, args)) : workload[tool];
        log(`${tool} on ${server.name}, ${mode === 'open' ? `open loop at ${rate}/s` : 'closed loop'} …`);
        try {
          const result = await runLoad({
            url: server.url,
            tool,
            calls,
            clients,
            warmupSeconds,
            seconds,
            era: server.era,
            ...(mode === 'open' ? { rate } : {}),
          });
          cells.push({ server: server.name, tool, mode, load: loadavg()[0], ...result });
          if (result.firstError !== undefined) log(`  first error: ${result.firstError}`);
        } catch (error) {
          cells.push({ server: server.name, tool, mode, note: String(error).slice(0, 200) });
        }
      }
    }
  }
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

/**
 * One table per loop. Closed loop compares throughput (Switchboard's req/s ÷ the peer's); open loop, at the same
 * offered rate for every server, compares latency (the peer's p99 ÷ Switchboard's).
 */
function table(all: Cell[], mode: Cell['mode'], withRatios: boolean): string {
  const cells = all.filter((cell) => cell.mode === mode);
  const ratioHead = mode === 'closed' ? ' Switchboard ÷ this (req/s) |' : ' this p99 ÷ Switchboard p99 |';
  const lines = [
    `| tool | server | req/s | p50 ms | p99 ms | target p99 | errors | load avg |${withRatios ? ratioHead : ''}`,
    `|---|---|---:|---:|---:|---:|---:|---:|${withRatios ? '---:|' : ''}`,
  ];
  for (const cell of cells) {
    const ours = cells.find((c) => c.tool === cell.tool && c.server === 'Switchboard');
    let ratio = withRatios ? ' |' : '';
    if (withRatios && ours !== undefined && cell !== ours) {
      const value = mode === 'closed' ? (ours.rps ?? 0) / (cell.rps ?? 0) : (cell.p99 ?? 0) / (ours.p99 ?? 0);
      ratio = ` ${Number.isFinite(value) && value > 0 ? `${value.toFixed(2)}×` : '–'} |`;
    }
    if (cell.note !== undefined) {
      lines.push(`| ${cell.tool} | ${cell.server} | failed: ${cell.note} | | | | | |${ratio}`);
      continue;
    }
    lines.push(
      `| ${cell.tool} | ${cell.server} | ${fixed(cell.rps, 0)} | ${fixed(cell.p50, 2)} | ${fixed(cell.p99, 2)} | ${TARGET_P99[cell.tool]} | ${cell.errors ?? 0} | ${fixed(cell.load, 1)} |${ratio}`,
    );
  }
  return lines.join('\n');
}

function tables(cells: Cell[], withRatios: boolean): string {
  const closed = `Closed loop (${clients} client(s) back to back: maximum throughput; by Little's law p50 ≈ ${clients} ÷ req/s):\n\n${table(cells, 'closed', withRatios)}`;
  if (!cells.some((cell) => cell.mode === 'open')) return closed;
  return `${closed}\n\nOpen loop (${rate} calls/s offered in total over ${clients} clients; latency from each call's scheduled arrival):\n\n${table(cells, 'open', withRatios)}\n\nA server that answers fewer than ${rate} calls/s here is overloaded at that rate: its calls queue without bound, those still queued when the window ends count as errors, and its latencies say how long the window was, not how long a call takes.`;
}

const startLoad = loadavg();
const cells: Cell[] = [];
let database = '';
if (url !== 'none') {
  const postgres = new URL(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const workload = await loadWorkload((text, params) => client.query(text, params)).finally(() => client.end());
  database = await preparePeerRole(url);
  const connection = { host: postgres.hostname, port: Number(postgres.port || 5432), database, user: PEER_ROLE };
  const dir = mkdtempSync(join(tmpdir(), 'sql-bench-'));
  const servers: Server[] = [];
  try {
    servers.push(...(await startSwitchboard({ DATABASE_URL: url })));
    for (const [name, start] of [
      ['MCP Toolbox', startToolbox],
      ['DBHub', startDbhub],
    ] as const) {
      if (only !== undefined && !name.includes(only)) continue;
      try {
        const peer: Peer = await start(connection, dir, POOL_SIZE);
        servers.push({ ...peer, era: 'legacy', peer: true });
      } catch (error) {
        log(`${name} could not start: ${String(error).slice(0, 2000)}`);
        for (const tool of TOOLS) {
          for (const mode of rate > 0 ? (['closed', 'open'] as const) : (['closed'] as const)) {
            cells.push({ server: name, tool, mode, note: 'could not start (see log)' });
          }
        }
      }
    }
    await measureAll(servers, workload, cells);
  } finally {
    for (const server of servers) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pgliteCells: Cell[] = [];
if (pgliteLeads > 0 && (only === undefined || 'Switchboard'.includes(only))) {
  const db = await openLeadsDatabase({ dataDir: pgliteDir });
  let pgliteWorkload: Workload | undefined;
  try {
    if (!(await isSeeded(db))) {
      log(`seeding ${pgliteLeads} leads into PGlite at ${pgliteDir} (once)`);
      await seedLeadsDatabase(db, { leads: pgliteLeads });
    }
    // PGlite holds its own rows: the same kinds of calls, drawn from them.
    pgliteWorkload = await loadWorkload((text, params) => db.query(text, params));
  } finally {
    await db.close();
  }
  const pglite = await startSwitchboard({ DATABASE_URL: undefined, LEADS_DATA_DIR: pgliteDir });
  try {
    await measureAll(pglite.slice(0, 1), pgliteWorkload as Workload, pgliteCells);
  } finally {
    for (const server of pglite) await server.stop();
  }
}

const loads = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
const header = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${clients} clients over Streamable HTTP, ${seconds} s per cell after ${warmupSeconds} s warm-up; pool ${POOL_SIZE} connections per server. Load average (1, 5, 15 min) at the start: ${loads(startLoad)}; at the end: ${loads(loadavg())}.`;
process.stdout.write(`${header}\n`);
if (cells.length > 0) process.stdout.write(`\nPostgreSQL (${database}):\n\n${tables(cells, true)}\n`);
if (pgliteCells.length > 0) {
  process.stdout.write(
    `\nPGlite (${pgliteLeads.toLocaleString('en-US')} leads, in-process):\n\n${tables(pgliteCells, false)}\n`,
  );
}
