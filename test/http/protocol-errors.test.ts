import { createHash, createHmac } from 'node:crypto';
import { Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  legacyHeaders,
  modernHeaders,
  modernMeta,
  modernRequest,
  openLegacySession,
  post,
  serves,
  startServer,
} from '../support/http.js';

/** The secret of the server that the principal test seals a requestState for, the way the server does. */
const SECRET = 'protocol-errors-test-secret-of-32+-bytes';

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startServer((s) => {
    s.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
    s.tool('limit', { input: { limit: z.number().int().meta({ 'x-mcp-header': 'Limit' }) } }, ({ limit }) =>
      String(limit),
    );
    s.tool('ask', {}, async (_args, ctx) => {
      const answer = await ctx.elicit('Name?', { name: z.string() });
      return answer.action === 'accept' ? `Hi ${answer.content.name}` : 'declined';
    });
  }));
});
afterAll(() => close());
afterEach(() => {
  vi.useRealTimers();
});

async function answer(response: Response) {
  return { status: response.status, body: JSON.parse(await response.text()) };
}

describe('malformed JSON-RPC over HTTP', () => {
  it('a float id is not an id: 400 -32600 and no id echoed', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1.5, method: 'tools/list', params: { _meta: modernMeta() } });
    const { status, body: error } = await answer(await post(url, body, modernHeaders('tools/list')));
    expect(status).toBe(400);
    expect(error.error.code).toBe(-32600);
    expect(error.id).toBeUndefined();
    expect(await serves(url)).toBe(true);
  });

  it('array params: 400 -32600 with the id echoed', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: ['add', 1, 2] });
    const { status, body: error } = await answer(await post(url, body, modernHeaders('tools/call', 'add')));
    expect(status).toBe(400);
    expect(error).toMatchObject({ id: 4, error: { code: -32600 } });
    expect(await serves(url)).toBe(true);
  });

  it('an empty batch: 400 -32600', async () => {
    const { status, body } = await answer(await post(url, '[]', modernHeaders('tools/list')));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: -32600, message: expect.stringContaining('batches') });
    expect(await serves(url)).toBe(true);
  });

  it('a 2025-era unknown method: 200 with -32601 (only 2026-07-28 uses 404)', async () => {
    const session = await openLegacySession(url);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/explode' });
    const { status, body: error } = await answer(await post(url, body, legacyHeaders(session)));
    expect(status).toBe(200);
    expect(error).toMatchObject({ id: 6, error: { code: -32601 } });
    expect(await serves(url)).toBe(true);
  });
});

describe('2026-07-28 requests', () => {
  it('ignores an Mcp-Session-Id header and mints none', async () => {
    const { headers, body } = modernRequest(1, 'tools/call', { name: 'add', arguments: { a: 2, b: 3 } });
    const response = await post(url, body, { ...headers, 'mcp-session-id': 'not-a-session' });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(JSON.parse(await response.text()).result.content[0].text).toBe('5');
  });

  it('compares integer Mcp-Param values in decimal only: 42 and 42.0 pass, 0x2A, 4.2e1 and 42.5 do not', async () => {
    const { headers, body } = modernRequest(2, 'tools/call', { name: 'limit', arguments: { limit: 42 } });
    for (const value of ['42', '42.0', ' 42.00 ', '042']) {
      const response = await post(url, body, { ...headers, 'mcp-param-limit': value });
      expect(response.status).toBe(200);
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('42');
    }
    for (const value of ['0x2A', '4.2e1', '42.5', '+42', '42.', '']) {
      const { status, body: error } = await answer(await post(url, body, { ...headers, 'mcp-param-limit': value }));
      expect(status).toBe(400);
      expect(error).toMatchObject({ id: 2, error: { code: -32020 } });
    }
    expect(await serves(url)).toBe(true);
  });

  it('-32021 when a handler needs a capability the client did not declare: HTTP 400', async () => {
    const { headers, body } = modernRequest(3, 'tools/call', { name: 'ask', arguments: {} }, {});
    const { status, body: error } = await answer(await post(url, body, headers));
    expect(status).toBe(400);
    expect(error).toMatchObject({
      id: 3,
      error: { code: -32021, data: { requiredCapabilities: { elicitation: {} } } },
    });
    expect(await serves(url)).toBe(true);
  });

  it('a logLevel that is not a logging level: 400 -32602', async () => {
    const { headers, body } = modernRequest(4, 'tools/list', {
      _meta: { 'io.modelcontextprotocol/logLevel': 'loud' },
    });
    const { status, body: error } = await answer(await post(url, body, headers));
    expect(status).toBe(400);
    expect(error).toMatchObject({ id: 4, error: { code: -32602, message: expect.stringContaining('logLevel') } });
    expect(await serves(url)).toBe(true);
  });

  it('an expired requestState: 400 -32602', async () => {
    const first = modernRequest(5, 'tools/call', { name: 'ask', arguments: {} }, { elicitation: {} });
    const round = JSON.parse(await (await post(url, first.body, first.headers)).text()).result;
    expect(round.resultType).toBe('input_required');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 601_000);
    const retry = modernRequest(
      6,
      'tools/call',
      {
        name: 'ask',
        arguments: {},
        requestState: round.requestState,
        inputResponses: {
          [Object.keys(round.inputRequests)[0] as string]: { action: 'accept', content: { name: 'A' } },
        },
      },
      { elicitation: {} },
    );
    const { status, body } = await answer(await post(url, retry.body, retry.headers));
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 6, error: { code: -32602, message: expect.stringContaining('expired') } });
    vi.useRealTimers();
    expect(await serves(url)).toBe(true);
  });

  it('a requestState issued to a different caller: 400 -32602', async () => {
    const server = new Switchboard({ name: 'principals', version: '1.0.0', stateSecret: SECRET });
    server.tool('ask', {}, async (_args, ctx) => {
      const answer = await ctx.elicit('Name?', { name: z.string() });
      return answer.action === 'accept' ? `Hi ${answer.content.name}` : 'declined';
    });
    const own = await serve(server, { port: 0 });
    // Sealed as the server seals it (HMAC-SHA256 over the payload, with its secret), but for principal "mallory".
    const request = createHash('sha256').update('tools/call\nask\n{}').digest('base64url');
    const payload = Buffer.from(
      JSON.stringify({ request, principal: 'mallory', expires: Date.now() + 60_000, responses: {} }),
    ).toString('base64url');
    const state = `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    const call = modernRequest(
      7,
      'tools/call',
      { name: 'ask', arguments: {}, requestState: state },
      { elicitation: {} },
    );
    try {
      const { status, body } = await answer(await post(own.url, call.body, call.headers));
      expect(status).toBe(400);
      expect(body).toMatchObject({
        id: 7,
        error: { code: -32602, message: expect.stringContaining('different caller') },
      });
      expect(await serves(own.url)).toBe(true);
    } finally {
      await own.close();
    }
  });
});
