import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serversDir = join(dirname(fileURLToPath(import.meta.url)), 'servers');
/** Generous: a server under valgrind starts some 50 times slower, on a busy machine slower still. */
const START_TIMEOUT_MS = Number(process.env.BENCH_START_TIMEOUT_MS ?? 600_000);

/** A server under test in its own process, with an IPC channel for CPU and heap readings. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  cpuMicros(): Promise<number>;
  heapBytes(): Promise<number>;
  /** Heap after GC (with --expose-gc) and RSS. */
  memory(): Promise<{ heapUsed: number; rss: number }>;
  stop(): Promise<void>;
}

/** How a server process is started besides its file and transport. */
export interface StartOptions {
  exposeGc?: boolean;
  /** A command the node process runs under (`taskset -c 1`, `valgrind …`): its argv before node's. */
  prefix?: readonly string[];
  /** Extra node flags (before the server file). */
  nodeFlags?: readonly string[];
  /** Extra environment (a server variant's settings). */
  env?: Record<string, string>;
}

export async function startServer(
  file: string,
  transport: 'http' | 'stdio',
  options: StartOptions = {},
): Promise<ServerProcess> {
  const nodeArgs = [
    '--conditions=switchboard-source',
    '--import',
    'tsx',
    ...(options.exposeGc ? ['--expose-gc'] : []),
    ...(options.nodeFlags ?? []),
    join(serversDir, file),
  ];
  const [command, ...args] = [...(options.prefix ?? []), process.execPath, ...nodeArgs] as [string, ...string[]];
  const child = spawn(command, args, {
    env: {
      ...process.env,
      BENCH_TRANSPORT: transport,
      SWITCHBOARD_LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...options.env,
    },
    stdio: ['pipe', transport === 'stdio' ? 'pipe' : 'ignore', 'inherit', 'ipc'],
  });
  const waiters: ((message: Record<string, unknown>) => boolean)[] = [];
  child.on('message', (message: Record<string, unknown>) => {
    const index = waiters.findIndex((accept) => accept(message));
    if (index !== -1) waiters.splice(index, 1);
  });
  const ask = <T>(question: string | undefined, key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${file}: no ${key} within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      waiters.push((message) => {
        if (!(key in message)) return false;
        clearTimeout(timer);
        resolve(message[key] as T);
        return true;
      });
      if (question !== undefined) child.send(question);
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let url: string;
  try {
    url = await Promise.race([
      ask<string>(undefined, 'ready'),
      exited.then(() => {
        throw new Error(`${file} exited before it was ready`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    url,
    cpuMicros: () => ask<number>('cpu', 'cpu'),
    heapBytes: () => ask<number>('heap', 'heap'),
    memory: () => ask<{ heapUsed: number; rss: number }>('memory', 'memory'),
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
