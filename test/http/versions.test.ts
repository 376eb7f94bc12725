import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LEGACY,
  legacyHeaders,
  MODERN,
  modernHeaders,
  modernMeta,
  modernRequest,
  openLegacySession,
  post,
  serves,
  startServer,
} from '../support/http.js';

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startServer((s) => {
    s.tool('query', { input: { region: z.string().meta({ 'x-mcp-header': 'Region' }) } }, ({ region }) => region);
  }));
});
afterAll(() => close());

async function answer(response: Response) {
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const listTools = (id: number | string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' });

describe('MCP-Protocol-Version on GET and DELETE (2025-11-25 transports §Protocol Version Header)', () => {
  it('400 for an unsupported value on GET and DELETE; the session is left alone', async () => {
    const session = await openLegacySession(url);
    for (const method of ['GET', 'DELETE']) {
      for (const version of ['1999-01-01', 'banana', '2099-01-01']) {
        const { status, body } = await answer(
          await fetch(url, {
            method,
            headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'mcp-protocol-version': version },
          }),
        );
        expect(status).toBe(400);
        expect(body).toMatchObject({ error: { code: -32600, message: expect.stringContaining(version) } });
      }
    }
    const still = await post(url, listTools(1), legacyHeaders(session));
    expect(still.status).toBe(200);
    expect((await answer(still)).body.result.tools).toBeDefined();
  });

  it('405 for GET or DELETE from a 2026-07-28 client, even with a session id (no GET streams, no sessions)', async () => {
    const session = await openLegacySession(url);
    for (const method of ['GET', 'DELETE']) {
      const { status, body } = await answer(
        await fetch(url, {
          method,
          headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'mcp-protocol-version': MODERN },
        }),
      );
      expect(status).toBe(405);
      expect(body.error.code).toBe(-32600);
    }
    expect((await post(url, listTools(1), legacyHeaders(session))).status).toBe(200);
  });

  it('406 for a GET that does not accept SSE; 404 with -32001 for an unknown session on GET and DELETE', async () => {
    const session = await openLegacySession(url);
    const refused = await answer(
      await fetch(url, { headers: { ...legacyHeaders(session), accept: 'application/json' } }),
    );
    expect(refused.status).toBe(406);
    expect(refused.body.error.code).toBe(-32600);
    for (const method of ['GET', 'DELETE']) {
      const { status, body } = await answer(
        await fetch(url, {
          method,
          headers: { ...legacyHeaders('no-such-session'), accept: 'text/event-stream' },
        }),
      );
      expect(status).toBe(404);
      expect(body.error.code).toBe(-32001);
    }
    expect(await serves(url)).toBe(true);
  });
});

describe('error bodies carry the request id when it could be read (basic/index §Error Responses)', () => {
  it('400 for a missing session id', async () => {
    const { status, body } = await answer(await post(url, listTools(11), BASE));
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 11, error: { code: -32600, message: expect.stringContaining('Mcp-Session-Id') } });
  });

  it('404 for an unknown or expired session', async () => {
    const { status, body } = await answer(await post(url, listTools('a-string-id'), legacyHeaders('gone')));
    expect(status).toBe(404);
    expect(body).toMatchObject({ id: 'a-string-id', error: { code: -32001 } });
  });

  it('400 for an unsupported 2025-era MCP-Protocol-Version', async () => {
    const session = await openLegacySession(url);
    const { status, body } = await answer(
      await post(url, listTools(13), { ...legacyHeaders(session), 'mcp-protocol-version': '1999-01-01' }),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 13, error: { code: -32600, message: expect.stringContaining('1999-01-01') } });
  });

  it('no id for a notification or a response (there is no request to answer)', async () => {
    const notification = await answer(
      await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), BASE),
    );
    expect(notification.status).toBe(400);
    expect(notification.body.id).toBeUndefined();
    const response = await answer(await post(url, JSON.stringify({ jsonrpc: '2.0', id: 5, result: {} }), BASE));
    expect(response.status).toBe(400);
    expect(response.body.id).toBeUndefined();
    expect(await serves(url)).toBe(true);
  });
});

describe('bodies without _meta from a 2026-07-28 client', () => {
  it('a response gets 400 -32600 saying responses are not allowed, not "unsupported version"', async () => {
    const { status, body } = await answer(
      await post(url, JSON.stringify({ jsonrpc: '2.0', id: 5, result: {} }), modernHeaders('tools/list')),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe(-32600);
    expect(body.error.message).toContain('must not send JSON-RPC responses');
    expect(body.error.message).not.toContain('Unsupported');
    expect(await serves(url)).toBe(true);
  });

  it('a notification, with or without _meta, gets 202 and no body', async () => {
    for (const params of [undefined, { _meta: modernMeta() }]) {
      const response = await post(
        url,
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params }),
        modernHeaders('notifications/cancelled'),
      );
      expect(response.status).toBe(202);
      expect(await response.text()).toBe('');
    }
    expect(await serves(url)).toBe(true);
  });

  it('a request gets 400 -32602 naming the missing _meta field', async () => {
    const { status, body } = await answer(await post(url, listTools(21), modernHeaders('tools/list')));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      id: 21,
      error: { code: -32602, message: expect.stringContaining('protocolVersion') },
    });
  });
});

describe('version before Mcp-Method and Mcp-Name (2026-07-28 transports/streamable-http §Protocol Version Header)', () => {
  const future = (id: number, method: string, params: Record<string, unknown> = {}) =>
    JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: { ...params, _meta: { ...modernMeta(), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
    });

  it('a future-version request without Mcp-Method or Mcp-Name gets -32022 with the supported list', async () => {
    for (const headers of [
      { ...BASE, 'mcp-protocol-version': '2099-01-01' },
      { ...BASE, 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/call' },
    ]) {
      const { status, body } = await answer(await post(url, future(31, 'tools/call', { name: 'query' }), headers));
      expect(status).toBe(400);
      expect(body).toMatchObject({
        id: 31,
        error: { code: -32022, data: { requested: '2099-01-01', supported: expect.arrayContaining([MODERN, LEGACY]) } },
      });
    }
    expect(await serves(url)).toBe(true);
  });

  it('a future _meta version under a 2026-07-28 header is a mismatch first: -32020', async () => {
    const { status, body } = await answer(
      await post(url, future(33, 'server/discover'), modernHeaders('server/discover')),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 33, error: { code: -32020, message: expect.stringContaining('2099-01-01') } });
  });

  it('a header that does not match the _meta version is -32020', async () => {
    for (const version of [LEGACY, '2099-01-01']) {
      const { headers, body } = modernRequest(32, 'tools/list');
      const { status, body: error } = await answer(
        await post(url, body, { ...headers, 'mcp-protocol-version': version }),
      );
      expect(status).toBe(400);
      expect(error).toMatchObject({ id: 32, error: { code: -32020, message: expect.stringContaining(version) } });
    }
    expect(await serves(url)).toBe(true);
  });
});
