import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { pino } from 'pino';

/** One structured log line as pino wrote it (`level` is pino's number: 30 info, 40 warn, 50 error). */
export type LogLine = Record<string, unknown> & { level: number; msg?: string; err?: { message?: string } };

/**
 * A logger for `new Switchboard({ logger })` that keeps every line in memory, so a test can check what the server
 * logged: a masked error's message and correlation id, a warning at registration.
 */
export function captureLogs(level: pino.LevelWithSilent = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}
