import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * valgrind's callgrind as an instruction counter for one server process: started with instrumentation off (so
 * start-up and warm-up run at a fraction of the cost), switched on with `callgrind_control`, read with dumps.
 */
export interface Callgrind {
  /** The command line prefix that runs node under callgrind, writing its dumps into `dir`. */
  readonly prefix: readonly string[];
  /** Turns instrumentation on in the process (`callgrind_control -i on`). */
  instrument(pid: number): Promise<void>;
  /** Dumps (and so resets) the counters; returns the instructions executed (Ir) since the last dump or switch-on. */
  dump(pid: number): Promise<number>;
}

export function callgrindIn(dir: string): Callgrind {
  const dumpsOf = (pid: number) => readdirSync(dir).filter((f) => f.startsWith(`cg.${pid}.`));
  return {
    prefix: ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'cg.%p')}`],
    instrument: async (pid) => {
      await run('callgrind_control', ['-i', 'on', String(pid)]);
    },
    dump: async (pid) => {
      const next = join(dir, `cg.${pid}.${dumpsOf(pid).length + 1}`);
      await run('callgrind_control', ['-d', String(pid)]);
      // The server process writes the dump itself, possibly after the control command returns: wait for its totals.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const totals = existsSync(next) ? /^totals: (\d+)/m.exec(readFileSync(next, 'utf8')) : null;
        if (totals?.[1] !== undefined) return Number(totals[1]);
        if (Date.now() > deadline) throw new Error(`no complete dump at ${next}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** True when valgrind and callgrind_control are on PATH. */
export async function haveCallgrind(): Promise<boolean> {
  try {
    await run('valgrind', ['--version']);
    await run('callgrind_control', ['-h']);
    return true;
  } catch {
    return false;
  }
}
