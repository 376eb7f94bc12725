import { PassThrough } from 'node:stream';
import { Switchboard } from 'switchboard-mcp';
import { serveStdio } from 'switchboard-mcp/stdio';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect } from '../support/stdio.js';

const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

function server() {
  const s = new Switchboard({ name: 'stdio-hostile', version: '1.0.0' });
  s.tool('echo', { input: { text: z.string() } }, ({ text }) => `${text.length}`);
  return s;
}

/** A request line of exactly `bytes` UTF-8 bytes, padded with `pad` (one character of `padBytes` bytes). */
function lineOf(id: number, bytes: number, pad = 'x', padBytes = 1): string {
  const head = `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"_meta":${JSON.stringify(meta)},"name":"echo","arguments":{"text":"`;
  const tail = '"}}}';
  const room = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  expect(room % padBytes).toBe(0);
  return `${head}${pad.repeat(room / padBytes)}${tail}`;
}

const refused = (line: Record<string, unknown>) => (line.error as { code?: number } | undefined)?.code === -32600;

describe('the stdio line limit is exact, however the line arrives', () => {
  it('a line of exactly the limit is served; one byte more is refused (one chunk)', async () => {
    const c = connect(server(), { maxMessageBytes: 2000 });
    c.input.write(`${lineOf(1, 2000)}\n`);
    expect(await c.reply(1)).toHaveProperty('result');
    c.input.write(`${lineOf(2, 2001)}\n`);
    expect((await c.next(refused)).error).toMatchObject({ message: 'Invalid Request: message longer than 2000 bytes' });
    c.input.write(`${lineOf(3, 1000)}\n`);
    expect(await c.reply(3)).toHaveProperty('result');
    expect(c.lines.some((l) => l.id === 2)).toBe(false);
    c.end();
  });

  it('a line over the limit split so that its last chunk holds the newline is refused', async () => {
    const c = connect(server(), { maxMessageBytes: 2000 });
    const line = lineOf(4, 2050);
    c.input.write(line.slice(0, 1990));
    c.input.write(`${line.slice(1990)}\n${lineOf(5, 500)}\n`);
    await c.next(refused);
    expect(await c.reply(5)).toHaveProperty('result');
    expect(c.lines.some((l) => l.id === 4)).toBe(false);
    c.end();
  });

  it('counts UTF-8 bytes, not characters', async () => {
    const c = connect(server(), { maxMessageBytes: 2000 });
    // 'é' is two bytes: this line has fewer than 2000 characters but more than 2000 bytes.
    const line = lineOf(6, 2100, 'é', 2);
    expect(line.length).toBeLessThan(2000);
    c.input.write(`${line}\n`);
    await c.next(refused);
    c.input.write(`${lineOf(7, 1998, 'é', 2)}\n`);
    expect(await c.reply(7)).toHaveProperty('result');
    c.end();
  });

  it('keeps a big integer id exactly and refuses deep nesting with -32602', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    serveStdio(server(), { input, output });
    output.setEncoding('utf8');
    let text = '';
    output.on('data', (chunk: string) => {
      text += chunk;
    });
    const untilLines = async (count: number) => {
      while (text.split('\n').length <= count) await new Promise((resolve) => output.once('data', resolve));
    };
    input.write(
      `{"jsonrpc":"2.0","id":9007199254740993,"method":"server/discover","params":{"_meta":${JSON.stringify(meta)}}}\n`,
    );
    await untilLines(1);
    expect(text.startsWith('{"jsonrpc":"2.0","id":9007199254740993,"result"')).toBe(true);
    input.write(
      `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"_meta":${JSON.stringify(meta)},"name":"echo","arguments":{"text":${'['.repeat(9000)}${']'.repeat(9000)}}}}\n`,
    );
    await untilLines(2);
    expect(JSON.parse(text.split('\n')[1] as string).error).toMatchObject({ code: -32602 });
    input.end();
  });
});
