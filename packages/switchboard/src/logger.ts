import type { Logger } from 'pino';
import { pino } from 'pino';

/**
 * The default server logger: JSON lines on stderr (stdout belongs to the protocol under stdio). The level comes
 * from `SWITCHBOARD_LOG_LEVEL` (default `info`).
 */
export function createLogger(name: string): Logger {
  // Synchronous: nothing logged is lost when the process exits right after (shutdown, stdin closed).
  return pino({ name, level: process.env.SWITCHBOARD_LOG_LEVEL ?? 'info' }, pino.destination({ fd: 2, sync: true }));
}

export type { Logger };
