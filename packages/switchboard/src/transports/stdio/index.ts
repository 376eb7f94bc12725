import type { Readable, Writable } from 'node:stream';
import type { Switchboard } from '../../server/switchboard.js';
import { StdioConnection } from './stdio-connection.js';

export interface StdioOptions {
  /** Defaults to `process.stdin`. */
  input?: Readable;
  /** Defaults to `process.stdout`; nothing but protocol messages is ever written to it. */
  output?: Writable;
}

export interface StdioHandle {
  /** Settles when the client closes the input stream. */
  readonly closed: Promise<void>;
}

/** Serves MCP over stdio (both eras). Logs go to stderr; stdout carries only protocol messages. */
export function serveStdio(server: Switchboard, options: StdioOptions = {}): StdioHandle {
  const connection = new StdioConnection(server, options.input ?? process.stdin, options.output ?? process.stdout);
  return { closed: connection.closed };
}

export { StdioConnection };
