import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../../packages/switchboard/', import.meta.url));

/** The built `switchboard` bin, as npm links it. */
export const BIN = join(PACKAGE, 'dist/cli/bin.js');

/** Fails with what to do when dist/ is missing or older than src/ (`npm test` builds before it runs vitest). */
export function assertBuilt(): void {
  let built: number;
  try {
    built = statSync(BIN).mtimeMs;
  } catch {
    throw new Error('packages/switchboard/dist is missing: run `npm run build` first');
  }
  if (newestSource(join(PACKAGE, 'src')) > built) {
    throw new Error('packages/switchboard/dist is older than src: run `npm run build` first');
  }
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The environment a CLI under test gets: no colours, quiet server logs unless a test asks for them. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  return env;
}

/** A finished CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion; a run that has not ended in 60 s is killed, and the test fails on its result. */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  const cli = new CliProcess(args, options);
  cli.child.stdin?.end(options.input ?? '');
  const watchdog = setTimeout(() => cli.child.kill('SIGKILL'), 60_000);
  const code = await cli.exited;
  clearTimeout(watchdog);
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

/** A running CLI whose output a test waits on, event by event. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  readonly #waiters = new Set<() => void>();

  constructor(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env ?? cliEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.#grow('stdout', chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#grow('stderr', chunk));
    this.exited = once(this.child, 'close').then(([code]) => code as number | null);
    void this.exited.then(() => this.#wake());
  }

  /** Waits until `pattern` matches the stream's output after `from` (a length seen before); rejects if the CLI exits first. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this[stream].slice(from));
      if (match !== null) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `the CLI exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}:\n${this.stderr}`,
        );
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  /** Waits for the next JSON-RPC message on stdout that `predicate` accepts, after `from` characters. */
  async nextMessage(
    predicate: (message: Record<string, unknown>) => boolean,
    from = 0,
  ): Promise<Record<string, unknown>> {
    for (;;) {
      const lines = this.stdout
        .slice(from)
        .split('\n')
        .filter((line) => line.trim() !== '');
      const found = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find(predicate);
      if (found !== undefined) return found;
      await this.waitFor('stdout', /\n/, this.stdout.length);
    }
  }

  send(message: unknown): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  /** Sends `signal` and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  #grow(stream: 'stdout' | 'stderr', chunk: string): void {
    this[stream] += chunk;
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }
}
