import { cpus } from 'node:os';

/** One server × transport × era measurement. */
export interface CellResult {
  server: string;
  transport: 'http' | 'stdio';
  era: 'modern' | 'legacy';
  /** Trivial middlewares the server ran (Switchboard's middleware rows). */
  middlewares?: number;
  rps?: number;
  p50?: number;
  p99?: number;
  cpuPerCall?: number;
  errors?: number;
  note?: string;
}

export const ERA_LABEL = { modern: '2026-07-28', legacy: '2025-11-25' };
const BASELINE = 'bare node:http';
const OURS = 'Switchboard';

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** `value / base` as `1.23×`: the headline form (CPU per call against a baseline's). */
export function times(value: number | undefined, base: number | undefined): string {
  return value === undefined || base === undefined || base === 0 || Number.isNaN(value) || Number.isNaN(base)
    ? '–'
    : `${(value / base).toFixed(2)}×`;
}

function percent(value: number | undefined, base: number | undefined): string {
  return value === undefined || base === undefined || base === 0 ? '–' : `${((100 * value) / base).toFixed(0)} %`;
}

function median(values: number[]): number | undefined {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Per cell, the round with the median server CPU per call (its throughput and latency figures come with it). */
export function medianCells(runs: CellResult[][]): CellResult[] {
  const first = runs[0] ?? [];
  return first.map((cell, index) => {
    const rounds = runs
      .map((run) => run[index])
      .filter((c): c is CellResult => c !== undefined && c.cpuPerCall !== undefined);
    if (rounds.length === 0) return cell;
    const target = median(rounds.map((c) => c.cpuPerCall ?? Number.NaN));
    const chosen = rounds.find((c) => c.cpuPerCall === target) ?? cell;
    return { ...chosen, errors: rounds.reduce((sum, c) => sum + (c.errors ?? 0), 0) };
  });
}

const same = (a: CellResult, b: CellResult) => a.transport === b.transport && a.era === b.era;

/** Prints the Markdown tables bench/README.md records; server CPU per call against bare is the headline. */
export function printReport(
  cells: CellResult[],
  heap: { server: string; kib: number | string }[],
  setup: { seconds: number; warmup: number; clients: number; sessions: number; rounds: number; pinning: string },
): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const baseOf = (cell: CellResult) => cells.find((c) => c.server === BASELINE && same(c, cell));
  const lines: string[] = [];
  lines.push(
    `Node ${process.version}, ${cpus().length} × ${cpu}; ${setup.pinning}; median of ${setup.rounds} rounds, ${setup.seconds} s per cell after ${setup.warmup} s warm-up; ${setup.clients} concurrent clients; errors summed over rounds.`,
  );
  lines.push('');
  lines.push(
    '| transport | era | server | server CPU µs/call | CPU ÷ bare | req/s | req/s vs bare | p50 ms | p99 ms | errors |',
  );
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const cell of cells) {
    const base = baseOf(cell);
    if (cell.note !== undefined) {
      lines.push(`| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | failed: ${cell.note} | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | ${fixed(cell.cpuPerCall, 1)} | **${times(cell.cpuPerCall, base?.cpuPerCall)}** | ${fixed(cell.rps, 0)} | ${percent(cell.rps, base?.rps)} | ${fixed(cell.p50, 2)} | ${fixed(cell.p99, 2)} | ${cell.errors ?? 0} |`,
    );
  }
  const plain = cells.filter((c) => c.server === OURS && c.cpuPerCall !== undefined);
  const chained = cells.filter((c) => c.middlewares !== undefined && c.middlewares > 0);
  if (chained.length > 0) {
    lines.push('');
    lines.push('| transport | era | middlewares | server CPU µs/call | ÷ no middleware | ÷ bare |');
    lines.push('|---|---|---:|---:|---:|---:|');
    for (const none of plain) {
      if (!chained.some((c) => same(c, none))) continue;
      for (const cell of [none, ...chained.filter((c) => same(c, none))]) {
        lines.push(
          `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.middlewares ?? 0} | ${fixed(cell.cpuPerCall, 1)} | ${times(cell.cpuPerCall, none.cpuPerCall)} | ${times(cell.cpuPerCall, baseOf(cell)?.cpuPerCall)} |`,
        );
      }
    }
  }
  lines.push('');
  lines.push('| transport | era | SDK v2 CPU ÷ Switchboard CPU | Switchboard ÷ SDK v2 (req/s) |');
  lines.push('|---|---|---:|---:|');
  for (const cell of plain) {
    const sdk = cells.find((o) => same(o, cell) && o.server.startsWith('SDK v2') && o.cpuPerCall !== undefined);
    const label = sdk === undefined ? '' : ` (${sdk.server})`;
    lines.push(
      `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${times(sdk?.cpuPerCall, cell.cpuPerCall)}${label} | ${times(cell.rps, sdk?.rps)} |`,
    );
  }
  // Issue 7's target: a protected tools/call costs little more than an open one (≥ 80 % of its req/s).
  const protectedCells = cells.filter((c) => c.server === 'Switchboard protected' && c.rps !== undefined);
  if (protectedCells.length > 0) {
    lines.push('');
    lines.push('| transport | era | protected ÷ open (req/s) | protected ÷ open (server CPU µs/call) |');
    lines.push('|---|---|---:|---:|');
    for (const cell of protectedCells) {
      const open = plain.find((o) => same(o, cell));
      lines.push(
        `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${percent(cell.rps, open?.rps)} | ${percent(cell.cpuPerCall, open?.cpuPerCall)} |`,
      );
    }
  }
  lines.push('');
  lines.push(`| server | heap per idle 2025-11-25 session (KiB, ${setup.sessions} sessions) |`);
  lines.push('|---|---:|');
  for (const row of heap)
    lines.push(`| ${row.server} | ${typeof row.kib === 'number' ? row.kib.toFixed(2) : `failed: ${row.kib}`} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
