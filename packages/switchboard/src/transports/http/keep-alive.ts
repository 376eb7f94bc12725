import type { StreamWriter } from './exchange.js';

/** How often an open SSE connection gets a comment line, so proxies and idle timeouts leave it alone. */
export const KEEP_ALIVE_MS = 15_000;

const open = new Set<StreamWriter>();
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  for (const writer of open) {
    if (writer.closed) open.delete(writer);
    // 2026-07-28 transports/streamable-http: a line starting with ':' is an SSE comment clients ignore.
    else writer.write(': keep-alive\n\n');
  }
  if (open.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Keeps a long-lived SSE connection alive until it closes; one process-wide timer serves every stream. */
export function keepAlive(writer: StreamWriter): void {
  open.add(writer);
  if (timer === undefined) {
    timer = setInterval(tick, KEEP_ALIVE_MS);
    timer.unref();
  }
}
