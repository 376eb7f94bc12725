import type { Readable, Writable } from 'node:stream';
import type { AuthInfo } from '../../protocol/auth.js';
import type { McpHost } from '../../protocol/host.js';
import { StdioConnection } from './stdio-connection.js';

export interface StdioOptions {
  /** Defaults to `process.stdin`. */
  input?: Readable;
  /** Defaults to `process.stdout`; nothing but protocol messages is ever written to it. */
  output?: Writable;
  /** Longest accepted message line in bytes (default 4 MiB). */
  maxMessageBytes?: number;
  /** How long calls in flight may finish once the client closes stdin (default 5000 ms). */
  drainTimeoutMs?: number;
  /**
   * The caller, for every request on this connection. stdio carries no OAuth (2025-11-25 basic/authorization: an
   * STDIO transport SHOULD retrieve credentials from the environment), so the launcher establishes it.
   */
  auth?: AuthInfo;
}

export interface StdioHandle {
  /** Settles when the client has closed the input stream and the calls in flight have finished. */
  readonly closed: Promise<void>;
}

/**
 * Serves MCP over stdio (both eras). Logs go to stderr; stdout carries only protocol messages, so while it serves
 * process.stdout, `console.log` and friends write to stderr (a stray debug line would corrupt the stream).
 */
export function serveStdio(server: McpHost, options: StdioOptions = {}): StdioHandle {
  const output = options.output ?? process.stdout;
  const connection = new StdioConnection(server, options.input ?? process.stdin, output, {
    maxMessageBytes: options.maxMessageBytes ?? 4 * 1024 * 1024,
    drainTimeoutMs: options.drainTimeoutMs ?? 5000,
    auth: options.auth,
  });
  const restoreConsole = output === process.stdout ? keepConsoleOffStdout() : undefined;
  return { closed: connection.closed.finally(restoreConsole) };
}

/** Points the console methods that write to stdout at stderr; returns the function that puts them back. */
function keepConsoleOffStdout(): () => void {
  const methods = ['log', 'info', 'debug', 'dir', 'table'] as const;
  const saved = methods.map((name) => console[name]);
  const stderrConsole = new console.Console({ stdout: process.stderr, stderr: process.stderr });
  for (const name of methods) console[name] = stderrConsole[name].bind(stderrConsole) as never;
  return () => {
    methods.forEach((name, i) => {
      console[name] = saved[i] as never;
    });
  };
}

export { StdioConnection };
