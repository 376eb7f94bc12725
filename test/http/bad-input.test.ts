import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modernHeaders, modernMeta, modernRequest, openLegacySession, post, startServer } from '../support/http.js';

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const started = await startServer(
    (server) => {
      server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
      server.tool(
        'query',
        {
          input: {
            region: z.string().meta({ 'x-mcp-header': 'Region' }),
            limit: z.number().int().optional().meta({ 'x-mcp-header': 'Limit' }),
          },
        },
        ({ region }) => region,
      );
      server.tool('héllo', {}, () => 'unicode name');
    },
    { maxBodyBytes: 2048 },
  );
  url = started.url;
  close = started.close;
});
afterAll(() => close());

async function errorOf(response: Response) {
  return { status: response.status, body: JSON.parse(await response.text()) };
}

/** After every bad request the server must still answer a good one. */
async function stillServes() {
  const { headers, body } = modernRequest(99, 'tools/call', { name: 'add', arguments: { a: 1, b: 1 } });
  const response = await post(url, body, headers);
  expect(response.status).toBe(200);
  expect(JSON.parse(await response.text()).result.content[0].text).toBe('2');
}

describe('malformed requests get the spec status and error, and lose nothing', () => {
  it('415 for a body that is not JSON by content type', async () => {
    const { body } = modernRequest(1, 'tools/list');
    const { status, body: error } = await errorOf(
      await post(url, body, { ...modernHeaders('tools/list'), 'content-type': 'text/plain' }),
    );
    expect(status).toBe(415);
    expect(error.error.code).toBe(-32600);
    await stillServes();
  });

  it('406 when Accept does not admit both JSON and SSE', async () => {
    const { body } = modernRequest(1, 'tools/list');
    expect((await post(url, body, { ...modernHeaders('tools/list'), accept: 'application/json' })).status).toBe(406);
    expect((await post(url, body, { ...modernHeaders('tools/list'), accept: 'text/html' })).status).toBe(406);
    await stillServes();
  });

  it('413 for an oversize body', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: { _meta: modernMeta(), pad: 'x'.repeat(5000) },
    });
    const { status, body } = await errorOf(await post(url, big, modernHeaders('tools/list')));
    expect(status).toBe(413);
    expect(body.error.message).toContain('Payload Too Large');
    await stillServes();
  });

  it('400 with -32700 and no id for invalid JSON', async () => {
    const { status, body } = await errorOf(await post(url, '{"jsonrpc":"2.0",', modernHeaders('tools/list')));
    expect(status).toBe(400);
    expect(body).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: expect.any(String) } });
    await stillServes();
  });

  it('400 with -32600 for a batch, including one of modern messages', async () => {
    const { body } = modernRequest(1, 'tools/list');
    const { status, body: error } = await errorOf(await post(url, `[${body},${body}]`, modernHeaders('tools/list')));
    expect(status).toBe(400);
    expect(error.error).toMatchObject({ code: -32600, message: expect.stringContaining('batches are not supported') });
    await stillServes();
  });

  it('400 with -32600 for JSON that is not JSON-RPC, echoing a readable id', async () => {
    for (const message of [
      { jsonrpc: '1.0', id: 5, method: 'x' },
      { id: 5 },
      { jsonrpc: '2.0', id: null, method: 'tools/list' },
      42,
    ]) {
      const { status, body } = await errorOf(await post(url, JSON.stringify(message), modernHeaders('tools/list')));
      expect(status).toBe(400);
      expect(body.error.code).toBe(-32600);
    }
    const { body } = await errorOf(
      await post(url, JSON.stringify({ jsonrpc: '1.0', id: 5, method: 'x' }), modernHeaders('x')),
    );
    expect(body.id).toBe(5);
    await stillServes();
  });

  it('404 with -32601 for an unknown modern method', async () => {
    const { headers, body } = modernRequest(3, 'tools/explode');
    const { status, body: error } = await errorOf(await post(url, body, headers));
    expect(status).toBe(404);
    expect(error).toMatchObject({ id: 3, error: { code: -32601 } });
  });

  it('400 with -32602 for a modern request missing its _meta', async () => {
    const response = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/list', params: {} }),
      modernHeaders('tools/list'),
    );
    const { status, body } = await errorOf(response);
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 4, error: { code: -32602 } });
  });

  it('400 with -32022 listing supported versions for an unknown version', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 5,
      method: 'tools/list',
      params: { _meta: { ...modernMeta(), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
    });
    const { status, body: error } = await errorOf(
      await post(url, body, { ...modernHeaders('tools/list'), 'mcp-protocol-version': '2099-01-01' }),
    );
    expect(status).toBe(400);
    expect(error.error).toMatchObject({
      code: -32022,
      data: { requested: '2099-01-01', supported: expect.arrayContaining(['2026-07-28', '2025-11-25']) },
    });
  });

  it('400 with -32602 for forged requestState or malformed inputResponses', async () => {
    const forged = modernRequest(8, 'tools/call', {
      name: 'add',
      arguments: { a: 1, b: 2 },
      requestState: 'eyJmYWtlIjp0cnVlfQ.bm90LWEtbWFj',
    });
    const { status, body } = await errorOf(await post(url, forged.body, forged.headers));
    expect(status).toBe(400);
    expect(body).toMatchObject({ id: 8, error: { code: -32602, message: expect.stringContaining('requestState') } });
    const malformed = modernRequest(9, 'tools/call', {
      name: 'add',
      arguments: { a: 1, b: 2 },
      inputResponses: ['not', 'a', 'map'],
    });
    const second = await errorOf(await post(url, malformed.body, malformed.headers));
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe(-32602);
    await stillServes();
  });

  it('405 for methods the endpoint does not serve', async () => {
    const put = await fetch(url, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toContain('POST');
    expect(
      (
        await fetch(url, {
          method: 'GET',
          headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2026-07-28' },
        })
      ).status,
    ).toBe(405);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('header validation (2026-07-28 -32020)', () => {
  const call = (args: Record<string, unknown>, name = 'query') =>
    modernRequest(6, 'tools/call', { name, arguments: args });

  async function mismatch(headers: Record<string, string>, body: string) {
    const { status, body: error } = await errorOf(await post(url, body, headers));
    expect(status).toBe(400);
    expect(error).toMatchObject({ id: 6, error: { code: -32020 } });
    return error.error.message as string;
  }

  it('rejects missing or mismatched MCP-Protocol-Version, Mcp-Method and Mcp-Name', async () => {
    const { headers, body } = call({ region: 'eu' });
    const missingVersion = { ...headers, 'mcp-param-region': 'eu' };
    delete (missingVersion as Record<string, string>)['mcp-protocol-version'];
    expect(await mismatch(missingVersion, body)).toContain('MCP-Protocol-Version');
    expect(await mismatch({ ...headers, 'mcp-param-region': 'eu', 'mcp-method': 'tools/list' }, body)).toContain(
      'Mcp-Method',
    );
    const noName = { ...headers, 'mcp-param-region': 'eu' };
    delete (noName as Record<string, string>)['mcp-name'];
    expect(await mismatch(noName, body)).toContain('Mcp-Name');
    expect(await mismatch({ ...headers, 'mcp-param-region': 'eu', 'mcp-name': 'add' }, body)).toContain(
      'does not match',
    );
    await stillServes();
  });

  it('decodes a Base64 sentinel Mcp-Name before comparing', async () => {
    const { headers, body } = call({}, 'héllo');
    const encoded = `=?base64?${Buffer.from('héllo').toString('base64')}?=`;
    const response = await post(url, body, { ...headers, 'mcp-name': encoded });
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text()).result.content[0].text).toBe('unicode name');
  });

  it('requires Mcp-Param headers for annotated arguments and compares them (integers numerically)', async () => {
    const { headers, body } = call({ region: 'eu', limit: 42 });
    expect(await mismatch(headers, body)).toContain('mcp-param-region');
    expect(await mismatch({ ...headers, 'mcp-param-region': 'us', 'mcp-param-limit': '42' }, body)).toContain(
      'does not match',
    );
    expect(await mismatch({ ...headers, 'mcp-param-region': 'eu', 'mcp-param-limit': 'forty' }, body)).toContain(
      'mcp-param-limit',
    );
    const ok = await post(url, body, { ...headers, 'mcp-param-region': 'eu', 'mcp-param-limit': '42.0' });
    expect(ok.status).toBe(200);
    const absent = call({ region: 'eu' });
    expect(
      await mismatch({ ...absent.headers, 'mcp-param-region': 'eu', 'mcp-param-limit': '1' }, absent.body),
    ).toContain('absent');
    const fine = await post(url, absent.body, { ...absent.headers, 'mcp-param-region': 'eu' });
    expect(JSON.parse(await fine.text()).result.content[0].text).toBe('eu');
  });
});

describe('origin, host and sessions', () => {
  function rawRequest(headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const { body } = modernRequest(1, 'tools/list');
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...modernHeaders('tools/list'), ...headers },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('403 for a foreign Origin or a rebinding Host; loopback origins pass', async () => {
    expect(await rawRequest({ origin: 'https://evil.example' })).toBe(403);
    expect(await rawRequest({ host: 'evil.example:80' })).toBe(403);
    expect(await rawRequest({ origin: 'http://localhost:6274' })).toBe(200);
    await stillServes();
  });

  it('exposes the MCP headers to allowed browser origins and answers preflights', async () => {
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:6274',
        'access-control-request-headers': 'mcp-protocol-version, mcp-param-region',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-param-region');
    const { headers, body } = modernRequest(1, 'tools/list');
    const response = await post(url, body, { ...headers, origin: 'http://localhost:6274' });
    expect(response.headers.get('access-control-expose-headers')).toContain('mcp-session-id');
  });

  it('400 without a session id and 404 for an unknown one (2025-11-25)', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await post(url, body, base)).status).toBe(400);
    const unknown = await post(url, body, { ...base, 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(await unknown.text()).error.message).toContain('Session not found');
    const session = await openLegacySession(url);
    expect(
      (await post(url, body, { ...base, 'mcp-session-id': session, 'mcp-protocol-version': '1999-01-01' })).status,
    ).toBe(400);
    expect((await post(url, body, { ...base, 'mcp-session-id': session })).status).toBe(200);
  });

  it('DELETE ends a session; its id then gets 404', async () => {
    const session = await openLegacySession(url);
    expect((await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session } })).status).toBe(200);
    const after = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': session,
    });
    expect(after.status).toBe(404);
    expect((await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session } })).status).toBe(404);
  });
});
