import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ChildConfig, ChildReport } from './child-protocol.js';
import { CHILD_CONFIG_VARIABLE } from './child-protocol.js';

/** How long a server process may take to finish its calls once told to stop, before it is killed. */
const STOP_GRACE_MS = 5000;

/** One server process of a dev session, started from `dev-child.js`. */
export class ServerProcess {
  readonly child: ChildProcess;
  /** Settles with the exit code (or the signal's name) when the process has exited. */
  readonly exited: Promise<number | string>;
  #stopping = false;

  constructor(config: ChildConfig, onReport: (report: ChildReport) => void) {
    const script = fileURLToPath(new URL('./dev-child.js', import.meta.url));
    // Node flags carry over (memory limits, loaders), but not a debugger port the parent already holds.
    const flags = process.execArgv.filter((flag) => !/^--inspect/.test(flag));
    this.child = spawn(process.execPath, [...flags, script], {
      env: { ...process.env, [CHILD_CONFIG_VARIABLE]: JSON.stringify(config) },
      stdio: [config.transport === 'stdio' ? 'pipe' : 'ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.on('message', (report: ChildReport) => onReport(report));
    this.exited = once(this.child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  }

  /** Whether `stop()` was called: an exit is then expected, not a crash. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Asks the process to shut down gracefully (SIGTERM), killing it if it has not exited in time. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
