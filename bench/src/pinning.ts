import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Where the server and the load generator run. */
export interface Pinning {
  /** Prefix for the server's command line (`taskset -c 1`), empty when not pinned. */
  readonly serverPrefix: readonly string[];
  /** One line for the report: what was pinned where, or why nothing was. */
  readonly note: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pins this process (the load generator, all its threads) to core 0 and servers to core 1 with util-linux
 * `taskset`, so the two stop competing for one core's time and the server's CPU per call is read alone.
 * BENCH_PIN=0 turns it off; without `taskset` or a second core it falls back to unpinned, saying so.
 */
export function pinCores(): Pinning {
  const off = (why: string): Pinning => {
    process.stderr.write(`benchmark: not pinned to cores (${why})\n`);
    return { serverPrefix: [], note: `not pinned (${why})` };
  };
  if (process.env.BENCH_PIN === '0') return off('BENCH_PIN=0');
  if (cpus().length < 2) return off('one core');
  if (!hasTaskset()) return off('no taskset on this machine');
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  return { serverPrefix: ['taskset', '-c', '1'], note: 'load generator pinned to core 0, server to core 1 (taskset)' };
}
