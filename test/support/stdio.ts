import { PassThrough } from 'node:stream';
import type { Switchboard } from 'switchboard-mcp';
import type { StdioOptions } from 'switchboard-mcp/stdio';
import { serveStdio } from 'switchboard-mcp/stdio';

/** A stdio connection over in-process pipes: write lines in, read JSON lines out. */
export function connect(server: Switchboard, options: Omit<StdioOptions, 'input' | 'output'> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const handle = serveStdio(server, { ...options, input, output });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      lines.push(JSON.parse(buffer.slice(0, newline)));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const next = async (predicate: (line: Record<string, unknown>) => boolean) => {
    for (;;) {
      const found = lines.find(predicate);
      if (found !== undefined) {
        lines.splice(lines.indexOf(found), 1);
        return found;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return {
    send: (message: unknown) => input.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`),
    next,
    reply: (id: unknown) => next((line) => line.id === id && line.method === undefined),
    lines,
    input,
    end: () => input.end(),
    closed: handle.closed,
  };
}
