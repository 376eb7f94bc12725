import { Server } from 'node:http';

/**
 * The benchmark side of every server process: answers the runner's IPC questions (CPU time, heap after GC)
 * and announces where it listens. Servers under stdio announce nothing: stdout is the protocol.
 */
process.on('message', (message: unknown) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  } else if (message === 'heap') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    process.send?.({ heap: process.memoryUsage().heapUsed });
  } else if (message === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send?.({ memory: { heapUsed, rss } });
  }
});

export const transport = process.env.BENCH_TRANSPORT === 'stdio' ? 'stdio' : 'http';

/** Tells the runner the endpoint URL (HTTP servers only). */
export function announce(url: string): void {
  process.send?.({ ready: url });
}

/** For stdio servers: ready as soon as the transport is attached. */
export function announceStdio(): void {
  process.send?.({ ready: 'stdio' });
}

export const PORT = 0;

// A normal exit on SIGTERM, so `--cpu-prof` and callgrind write their final files when the runner stops a server.
process.once('SIGTERM', () => process.exit(0));

/**
 * BENCH_KEEP_ALIVE_MS: how long every HTTP server in this process keeps an idle connection open. The instruction
 * count pauses between windows for longer than Node's 5 s default; a connection closed there is opened again in
 * the next window, whose count then carries a connection's set-up and the JIT work it sets off, not calls.
 */
const keepAliveMs = process.env.BENCH_KEEP_ALIVE_MS;
if (keepAliveMs !== undefined) {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    this.keepAliveTimeout = Number(keepAliveMs);
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
}
