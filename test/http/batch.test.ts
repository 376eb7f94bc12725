import type { Switchboard } from 'switchboard-mcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  collectSse,
  legacyHeaders,
  modernHeaders,
  modernMeta,
  openLegacySession,
  post,
  startServer,
} from '../support/http.js';

let url: string;
let close: () => Promise<void>;
let markRunning: () => void = () => {};

function register(server: Switchboard): void {
  server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  server.tool('steps', {}, (_args, ctx) => {
    ctx.progress(1, 1);
    return 'stepped';
  });
  server.tool('hang', {}, async (_args, ctx) => {
    markRunning();
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    return 'never sent';
  });
}

beforeAll(async () => {
  ({ url, close } = await startServer(register));
});
afterAll(() => close());

/** Opens a session the way a 2025-03-26 client does (no MCP-Protocol-Version header: it did not exist yet). */
async function openSession(version: string): Promise<Record<string, string>> {
  const response = await post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'batcher', version: '1' } },
    }),
    { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  );
  expect(JSON.parse(await response.text()).result.protocolVersion).toBe(version);
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-session-id': response.headers.get('mcp-session-id') as string,
  };
}

const request = (id: number | string, method: string, params?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method,
  ...(params && { params }),
});
const callTool = (id: number, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) =>
  request(id, 'tools/call', { name, arguments: args, ...(meta && { _meta: meta }) });

async function refusal(response: Response): Promise<string> {
  expect(response.status).toBe(400);
  const body = JSON.parse(await response.text());
  expect(body.error.code).toBe(-32600);
  return body.error.message;
}

describe('JSON-RPC batches in a 2025-03-26 session', () => {
  it('answers the requests with one JSON array, in batch order; notifications get no entry', async () => {
    const headers = await openSession('2025-03-26');
    const batch = [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      callTool(1, 'add', { a: 2, b: 3 }),
      request('p', 'ping'),
    ];
    const response = await post(url, JSON.stringify(batch), headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(await response.text())).toEqual([
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '5' }] } },
      { jsonrpc: '2.0', id: 'p', result: {} },
    ]);
  });

  it('answers a bad member, or an initialize, with its own error and serves the rest', async () => {
    const headers = await openSession('2025-03-26');
    const initialize = request(5, 'initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: {} });
    const batch = [{ jsonrpc: '2.0', id: 4 }, initialize, 42, request(6, 'ping')];
    const response = await post(url, JSON.stringify(batch), headers);
    const answers = JSON.parse(await response.text());
    expect(answers).toMatchObject([
      { id: 4, error: { code: -32600 } },
      { id: 5, error: { code: -32600, message: expect.stringContaining('initialize') } },
      { error: { code: -32600 } },
      { id: 6, result: {} },
    ]);
    expect(answers[2]).not.toHaveProperty('id');
  });

  it('takes a batch of notifications and responses with 202 and no body', async () => {
    const headers = await openSession('2025-03-26');
    const batch = [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 'nobody-asked', result: {} },
    ];
    const response = await post(url, JSON.stringify(batch), headers);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it('turns into an SSE stream carrying each response when a member streams', async () => {
    const headers = await openSession('2025-03-26');
    const batch = [request('first', 'ping'), callTool(2, 'steps', {}, { progressToken: 'tok' })];
    const response = await post(url, JSON.stringify(batch), headers);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const messages = (await collectSse(response)).map((event) => event.data);
    expect(messages).toHaveLength(3);
    expect(messages).toContainEqual({ jsonrpc: '2.0', id: 'first', result: {} });
    expect(messages).toContainEqual(expect.objectContaining({ method: 'notifications/progress' }));
    expect(messages.at(-1)).toMatchObject({ id: 2, result: { content: [{ text: 'stepped' }] } });
  });

  it('leaves a cancelled member out of the answer', async () => {
    const headers = await openSession('2025-03-26');
    const running = new Promise<void>((resolve) => {
      markRunning = resolve;
    });
    const pending = post(url, JSON.stringify([callTool(7, 'hang'), request(8, 'ping')]), headers);
    await running;
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } };
    expect((await post(url, JSON.stringify(cancel), headers)).status).toBe(202);
    expect(JSON.parse(await (await pending).text())).toEqual([{ jsonrpc: '2.0', id: 8, result: {} }]);
  });
});

describe('JSON-RPC batches are refused with 400 (-32600) outside 2025-03-26 sessions', () => {
  const batch = JSON.stringify([request(1, 'ping'), request(2, 'ping')]);

  it('in a 2025-11-25 (or 2025-06-18) session', async () => {
    const session = await openLegacySession(url);
    expect(await refusal(await post(url, batch, legacyHeaders(session)))).toContain('2025-11-25');
    const headers = await openSession('2025-06-18');
    expect(await refusal(await post(url, batch, headers))).toContain('2025-06-18');
  });

  it('without a session, from a 2026-07-28 client, or holding a 2026-07-28 message', async () => {
    const plain = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect(await refusal(await post(url, batch, plain))).toContain('without a 2025-03-26 session');
    expect(await refusal(await post(url, batch, modernHeaders('ping')))).toContain('2026-07-28');
    const headers = await openSession('2025-03-26');
    const mixed = JSON.stringify([request(1, 'ping'), request(2, 'ping', { _meta: modernMeta() })]);
    expect(await refusal(await post(url, mixed, headers))).toContain('2026-07-28');
    expect(await refusal(await post(url, '[]', headers))).toContain('empty');
  });

  it('on a stateless server, and 404 for an unknown session', async () => {
    const stateless = await startServer(register, { sessions: 'stateless' });
    try {
      const plain = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      expect(await refusal(await post(stateless.url, batch, plain))).toContain('batches are not supported');
    } finally {
      await stateless.close();
    }
    const headers = { ...(await openSession('2025-03-26')), 'mcp-session-id': 'no-such-session' };
    expect((await post(url, batch, headers)).status).toBe(404);
  });
});
