import { Switchboard } from 'switchboard-mcp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect } from '../support/stdio.js';

function server() {
  const s = new Switchboard({ name: 'stdio-batch', version: '1.0.0' });
  s.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  s.tool('steps', {}, (_args, ctx) => {
    ctx.progress(1, 1);
    return 'stepped';
  });
  return s;
}

const request = (id: number | string, method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params && { params }),
});

/** A connection that has negotiated `version`. */
async function initialized(version: string) {
  const c = connect(server());
  c.send(
    request(0, 'initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'c', version: '1' } }),
  );
  expect(await c.reply(0)).toMatchObject({ result: { protocolVersion: version } });
  return c;
}

const isBatch = (line: unknown) => Array.isArray(line);
const refusal = (c: ReturnType<typeof connect>) =>
  c.next((line) => (line.error as { code?: number } | undefined)?.code === -32600);

describe('JSON-RPC batches over stdio', () => {
  it('a 2025-03-26 connection gets one array line, in batch order; progress goes out before it', async () => {
    const c = await initialized('2025-03-26');
    c.send([
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      request(1, 'tools/call', { name: 'add', arguments: { a: 1, b: 2 } }),
      request(2, 'tools/call', { name: 'steps', arguments: {}, _meta: { progressToken: 's' } }),
      { jsonrpc: '2.0', id: 3 },
      request(4, 'ping'),
    ]);
    const answers = await c.next(isBatch);
    expect(answers).toMatchObject([
      { id: 1, result: { content: [{ text: '3' }] } },
      { id: 2, result: { content: [{ text: 'stepped' }] } },
      { id: 3, error: { code: -32600 } },
      { id: 4, result: {} },
    ]);
    expect(c.lines.filter((line) => line.method === 'notifications/progress')).toHaveLength(1);
    c.end();
    await c.closed;
  });

  it('a batch still running when the client closes stdin is answered before the connection closes', async () => {
    let release!: () => void;
    let markRunning!: () => void;
    const running = new Promise<void>((resolve) => {
      markRunning = resolve;
    });
    const s = server();
    s.tool(
      'slow',
      {},
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('slow done');
          markRunning();
        }),
    );
    const c = connect(s);
    c.send(
      request(0, 'initialize', {
        protocolVersion: '2025-03-26',
        capabilities: {},
        clientInfo: { name: 'c', version: '1' },
      }),
    );
    await c.reply(0);
    c.send([request(1, 'tools/call', { name: 'slow', arguments: {} }), request(2, 'ping')]);
    await running;
    c.end();
    await new Promise<void>((resolve) => c.input.once('end', resolve));
    release();
    await c.closed;
    expect(await c.next(isBatch)).toMatchObject([{ id: 1, result: { content: [{ text: 'slow done' }] } }, { id: 2 }]);
  });

  it('a batch of notifications gets nothing back', async () => {
    const c = await initialized('2025-03-26');
    c.send([{ jsonrpc: '2.0', method: 'notifications/initialized' }]);
    c.send(request('after', 'ping'));
    await c.reply('after');
    expect(c.lines.filter(isBatch)).toEqual([]);
    c.end();
    await c.closed;
  });

  it('is refused (-32600) before initialize, after a newer revision, with 2026-07-28 messages, or empty', async () => {
    const fresh = connect(server());
    fresh.send([request(1, 'ping')]);
    expect(((await refusal(fresh)).error as { message: string }).message).toContain('without a 2025-03-26 session');
    fresh.end();
    const newer = await initialized('2025-11-25');
    newer.send([request(1, 'ping')]);
    expect(((await refusal(newer)).error as { message: string }).message).toContain('2025-11-25');
    newer.end();
    const older = await initialized('2025-03-26');
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    older.send([request(1, 'ping'), request(2, 'ping', { _meta: meta })]);
    expect(((await refusal(older)).error as { message: string }).message).toContain('2026-07-28');
    older.send([]);
    expect(((await refusal(older)).error as { message: string }).message).toContain('empty');
    older.send(request('still', 'ping'));
    expect(await older.reply('still')).toMatchObject({ result: {} });
    older.end();
    await Promise.all([fresh.closed, newer.closed, older.closed]);
  });
});
