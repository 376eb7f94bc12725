import { cpus } from 'node:os';

/** One server × transport × era measurement. */
export interface CellResult {
  server: string;
  transport: 'http' | 'stdio';
  era: 'modern' | 'legacy';
  rps?: number;
  p50?: number;
  p99?: number;
  cpuPerCall?: number;
  errors?: number;
  note?: string;
}

const ERA_LABEL = { modern: '2026-07-28', legacy: '2025-11-25' };
const BASELINE = 'bare node:http';

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

function ratio(value: number | undefined, base: number | undefined): string {
  return value === undefined || base === undefined || base === 0 ? '–' : `${((100 * value) / base).toFixed(0)} %`;
}

function median(values: number[]): number | undefined {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Per cell, the round with the median throughput (its latency and CPU figures come with it). */
export function medianCells(runs: CellResult[][]): CellResult[] {
  const first = runs[0] ?? [];
  return first.map((cell, index) => {
    const rounds = runs.map((run) => run[index]).filter((c): c is CellResult => c !== undefined && c.rps !== undefined);
    if (rounds.length === 0) return cell;
    const target = median(rounds.map((c) => c.rps ?? Number.NaN));
    const chosen = rounds.find((c) => c.rps === target) ?? cell;
    return { ...chosen, errors: rounds.reduce((sum, c) => sum + (c.errors ?? 0), 0) };
  });
}

/** Prints the Markdown tables bench/README.md records. */
export function printReport(
  cells: CellResult[],
  heap: { server: string; kib: number | string }[],
  setup: { seconds: number; warmup: number; clients: number; sessions: number; rounds: number },
): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push(
    `Node ${process.version}, ${cpus().length} × ${cpu}; median of ${setup.rounds} rounds, ${setup.seconds} s per cell after ${setup.warmup} s warm-up; ${setup.clients} concurrent clients; errors summed over rounds.`,
  );
  lines.push('');
  lines.push(
    '| transport | era | server | req/s | vs bare | p50 ms | p99 ms | server CPU µs/call | vs bare CPU | errors |',
  );
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const cell of cells) {
    const base = cells.find((c) => c.server === BASELINE && c.transport === cell.transport && c.era === cell.era);
    if (cell.note !== undefined) {
      lines.push(`| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | failed: ${cell.note} | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${cell.server} | ${fixed(cell.rps, 0)} | ${ratio(cell.rps, base?.rps)} | ${fixed(cell.p50, 2)} | ${fixed(cell.p99, 2)} | ${fixed(cell.cpuPerCall, 1)} | ${ratio(cell.cpuPerCall, base?.cpuPerCall)} | ${cell.errors ?? 0} |`,
    );
  }
  const ours = cells.filter((c) => c.server === 'Switchboard' && c.rps !== undefined);
  const official = (c: CellResult) =>
    cells.find(
      (o) => o.transport === c.transport && o.era === c.era && o.server.startsWith('SDK v2') && o.rps !== undefined,
    );
  lines.push('');
  lines.push('| transport | era | Switchboard ÷ SDK v2 (req/s) |');
  lines.push('|---|---|---:|');
  for (const cell of ours) {
    const sdk = official(cell);
    lines.push(
      `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${sdk?.rps ? `${((cell.rps ?? 0) / sdk.rps).toFixed(1)}× (${sdk.server})` : '–'} |`,
    );
  }
  // Issue 7's target: a protected tools/call costs little more than an open one (≥ 80 % of its req/s).
  const protectedCells = cells.filter((c) => c.server === 'Switchboard protected' && c.rps !== undefined);
  if (protectedCells.length > 0) {
    lines.push('');
    lines.push('| transport | era | protected ÷ open (req/s) | protected ÷ open (server CPU µs/call) |');
    lines.push('|---|---|---:|---:|');
    for (const cell of protectedCells) {
      const open = ours.find((o) => o.transport === cell.transport && o.era === cell.era);
      lines.push(
        `| ${cell.transport} | ${ERA_LABEL[cell.era]} | ${ratio(cell.rps, open?.rps)} | ${ratio(cell.cpuPerCall, open?.cpuPerCall)} |`,
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
