import { Switchboard } from 'switchboard-mcp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect } from '../support/stdio.js';

const meta = (capabilities = {}) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': capabilities,
});

function server() {
  const s = new Switchboard({ name: 'stdio-test', version: '1.0.0' });
  s.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  s.tool('ask', {}, async (_args, ctx) => {
    const answer = await ctx.elicit('Name?', { name: z.string() });
    return answer.action === 'accept' ? `Hi ${answer.content.name}` : 'no';
  });
  s.tool('steps', { input: { n: z.number() } }, ({ n }, ctx) => {
    for (let i = 1; i <= n; i++) ctx.progress(i, n);
    return 'stepped';
  });
  s.tool(
    'wait',
    {},
    (_args, ctx) => new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve('x'))),
  );
  return s;
}

describe('stdio transport', () => {
  it('serves modern requests statelessly, interleaved with a legacy session on the same pipe', async () => {
    const c = connect(server());
    c.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'add', arguments: { a: 1, b: 2 }, _meta: meta() },
    });
    expect(await c.reply(1)).toMatchObject({ result: { resultType: 'complete', content: [{ text: '3' }] } });
    c.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
    });
    expect(await c.reply(2)).toMatchObject({ result: { protocolVersion: '2025-11-25' } });
    c.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    c.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'add', arguments: { a: 2, b: 2 } } });
    const legacy = await c.reply(3);
    expect(legacy).toMatchObject({ result: { content: [{ text: '4' }] } });
    expect(legacy.result).not.toHaveProperty('resultType');
    c.end();
    await c.closed;
  });

  it('writes a request’s progress notifications before its result', async () => {
    const c = connect(server());
    c.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'steps', arguments: { n: 3 }, _meta: { ...meta(), progressToken: 'p7' } },
    });
    const reply = await c.reply(7);
    expect(reply).toMatchObject({ result: { content: [{ text: 'stepped' }] } });
    // Everything before the reply has been read by now; the three progress notifications must be among it.
    const progress = c.lines
      .filter((l) => l.method === 'notifications/progress')
      .map((l) => (l.params as { progress: number }).progress);
    expect(progress).toEqual([1, 2, 3]);
    c.end();
  });

  it('answers garbage with JSON-RPC errors and keeps going', async () => {
    const c = connect(server());
    c.send('this is not json');
    expect(await c.next((l) => (l.error as { code: number } | undefined)?.code === -32700)).not.toHaveProperty('id');
    c.send([{ jsonrpc: '2.0', id: 9, method: 'ping' }]);
    expect(await c.next((l) => (l.error as { code: number } | undefined)?.code === -32600)).toBeDefined();
    c.send({
      jsonrpc: '2.0',
      id: 10,
      method: 'tools/call',
      params: { name: 'add', arguments: { a: 'x', b: 1 }, _meta: meta() },
    });
    expect(await c.reply(10)).toMatchObject({ result: { isError: true } });
    c.send({ jsonrpc: '2.0', id: 11, method: 'server/discover', params: { _meta: meta() } });
    expect(await c.reply(11)).toMatchObject({ result: { supportedVersions: expect.arrayContaining(['2026-07-28']) } });
    c.end();
  });

  it('sends a real elicitation request in a legacy session and MRTR in the modern era', async () => {
    const c = connect(server());
    c.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'ask', arguments: {}, _meta: meta({ elicitation: {} }) },
    });
    expect(await c.reply(1)).toMatchObject({
      result: { resultType: 'input_required', inputRequests: { 'elicit-1': { method: 'elicitation/create' } } },
    });
    c.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} } },
    });
    await c.reply(2);
    c.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ask', arguments: {} } });
    const request = await c.next((l) => l.method === 'elicitation/create');
    c.send({ jsonrpc: '2.0', id: request.id, result: { action: 'accept', content: { name: 'Lin' } } });
    expect(await c.reply(3)).toMatchObject({ result: { content: [{ text: 'Hi Lin' }] } });
    c.end();
  });

  it('cancels with notifications/cancelled and sends no response for that request', async () => {
    const c = connect(server());
    c.send({ jsonrpc: '2.0', id: 'w', method: 'tools/call', params: { name: 'wait', arguments: {}, _meta: meta() } });
    c.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'w' } });
    c.send({ jsonrpc: '2.0', id: 'after', method: 'ping', params: { _meta: meta() } });
    await c.reply('after');
    // One more full round trip: anything written for the cancelled request would have arrived before this reply.
    c.send({ jsonrpc: '2.0', id: 'later', method: 'server/discover', params: { _meta: meta() } });
    await c.reply('later');
    expect(c.lines.find((l) => l.id === 'w')).toBeUndefined();
    c.end();
  });

  it('subscriptions/listen on stdio: acknowledged, tagged, ended by notifications/cancelled', async () => {
    const s = server();
    const c = connect(s);
    c.send({
      jsonrpc: '2.0',
      id: 5,
      method: 'subscriptions/listen',
      params: { notifications: { toolsListChanged: true }, _meta: meta() },
    });
    const ack = await c.next((l) => l.method === 'notifications/subscriptions/acknowledged');
    expect(ack.params).toMatchObject({ _meta: { 'io.modelcontextprotocol/subscriptionId': 5 } });
    s.tool('added', {}, () => 'new');
    expect(await c.next((l) => l.method === 'notifications/tools/list_changed')).toMatchObject({
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 5 } },
    });
    c.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } });
    c.send({ jsonrpc: '2.0', id: 'after', method: 'server/discover', params: { _meta: meta() } });
    await c.reply('after');
    expect(c.lines.find((l) => l.id === 5)).toBeUndefined();
    c.end();
  });
});
