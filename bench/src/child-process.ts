import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serversDir = join(dirname(fileURLToPath(import.meta.url)), 'servers');

/** A server under test in its own process, with an IPC channel for CPU and heap readings. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  cpuMicros(): Promise<number>;
  heapBytes(): Promise<number>;
  stop(): Promise<void>;
}

export async function startServer(file: string, transport: 'http' | 'stdio', exposeGc = false): Promise<ServerProcess> {
  // How long a server may take to announce itself (a database-backed one migrates and checks its SQL first).
  const START_TIMEOUT_MS = Number(process.env.BENCH_START_TIMEOUT_MS ?? 30_000);
  const args = [
    '--conditions=switchboard-source',
    '--import',
    'tsx',
    ...(exposeGc ? ['--expose-gc'] : []),
    join(serversDir, file),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, BENCH_TRANSPORT: transport, SWITCHBOARD_LOG_LEVEL: 'warn', NODE_ENV: 'production' },
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
  const url = await Promise.race([
    ask<string>(undefined, 'ready'),
    exited.then(() => {
      throw new Error(`${file} exited before it was ready`);
    }),
  ]);
  return {
    child,
    url,
    cpuMicros: () => ask<number>('cpu', 'cpu'),
    heapBytes: () => ask<number>('heap', 'heap'),
    stop: async () => {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
