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
