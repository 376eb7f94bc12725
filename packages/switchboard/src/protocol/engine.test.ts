import { describe, expect, it } from 'vitest';
import { Switchboard } from '../server/switchboard.js';
import type { JsonRpcRequest } from './messages.js';

const link = { notify() {}, request: undefined, signal: new AbortController().signal };
const server = new Switchboard({ name: 'engine', version: '2.0.0', instructions: 'Use add for sums' });
server.tool('add', {}, () => '0');

async function send(
  method: string,
  params: Record<string, unknown> = {},
  session = { id: undefined, state: undefined },
) {
  const request: JsonRpcRequest = { jsonrpc: '2.0', id: 7, method, params };
  const reply = await server.engine.handleRequest(request, { link, session });
  return { status: reply.status, ...JSON.parse(reply.body) };
}

const modernMeta = (extra: Record<string, unknown> = {}) => ({
  _meta: {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  },
});

describe('era selection and version rules', () => {
  it('serves server/discover to modern requests, with versions, identity and caching hints', async () => {
    const reply = await send('server/discover', modernMeta());
    expect(reply.result).toMatchObject({
      resultType: 'complete',
      supportedVersions: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'],
      instructions: 'Use add for sums',
      ttlMs: expect.any(Number),
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'engine', version: '2.0.0' } },
    });
  });

  it('writes a plain modern result as the decorated object would be written, key for key', async () => {
    const request: JsonRpcRequest = {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'add', ...modernMeta() },
    };
    const reply = await server.engine.handleRequest(request, { link, session: { id: undefined, state: undefined } });
    expect(reply.body).toBe(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        result: {
          resultType: 'complete',
          content: [{ type: 'text', text: '0' }],
          _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'engine', version: '2.0.0' } },
        },
      }),
    );
  });

  it('answers an unsupported version with -32022, HTTP 400 and the supported list', async () => {
    const reply = await send('tools/list', {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '1999-01-01',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.error).toMatchObject({
      code: -32022,
      data: { requested: '1999-01-01', supported: expect.arrayContaining(['2026-07-28']) },
    });
  });

  it('requires clientCapabilities in modern _meta (-32602, HTTP 400)', async () => {
    const reply = await send('tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } });
    expect(reply.status).toBe(400);
    expect(reply.error.code).toBe(-32602);
  });

  it('keeps each era to its own methods', async () => {
    expect((await send('ping', modernMeta())).error).toMatchObject({ code: -32601 });
    expect((await send('ping', modernMeta())).status).toBe(404);
    expect((await send('initialize', modernMeta())).error).toMatchObject({ code: -32601 });
    expect((await send('server/discover')).error).toMatchObject({ code: -32601 });
    expect((await send('ping')).result).toEqual({});
    expect((await send('no/such/method')).error).toMatchObject({ code: -32601 });
  });

  it('negotiates initialize down to a supported legacy version and falls back to the latest', async () => {
    const older = { id: undefined, state: undefined };
    expect(
      (await send('initialize', { protocolVersion: '2024-11-05', capabilities: {} }, older)).result.protocolVersion,
    ).toBe('2024-11-05');
    const future = { id: undefined, state: undefined };
    const reply = await send(
      'initialize',
      { protocolVersion: '2031-01-01', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
      future,
    );
    expect(reply.result).toMatchObject({
      protocolVersion: '2025-11-25',
      serverInfo: { name: 'engine', version: '2.0.0' },
      capabilities: { tools: { listChanged: true } },
      instructions: 'Use add for sums',
    });
    expect(future).toMatchObject({ state: { protocolVersion: '2025-11-25', clientInfo: { name: 'c' } } });
  });

  it('rejects a bad log level in modern _meta', async () => {
    const reply = await send('tools/list', modernMeta({ 'io.modelcontextprotocol/logLevel': 'loud' }));
    expect(reply.error.code).toBe(-32602);
  });
});
