import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ToolError } from 'switchboard-mcp';
import { parseTraceparent, tracing } from 'switchboard-mcp/observability';
import { TestClient } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest, post, startServer } from '../support/http.js';
import { TestTracerProvider } from './test-tracer.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const META_TRACE = '0af7651916cd43dd8448eb211c80319c';
const META_PARENT = 'b7ad6b7169203331';

describe('tracing() over HTTP', () => {
  const provider = new TestTracerProvider();
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ url, close } = await startServer((server) => {
      server.tool('lookup', {}, () => 'found');
      server.tool('broken', {}, () => {
        throw new ToolError('No such lead');
      });
      server.prompt('triage', {}, () => 'Triage this');
      server.use(tracing({ tracerProvider: provider }));
    }));
  });
  afterAll(() => close());

  const spansOf = (traceId: string) => provider.spans.filter((span) => span.spanContext.traceId === traceId);

  it('continues the HTTP traceparent header: a SERVER span per request and an execute_tool span per tool call', async () => {
    const { headers, body } = modernRequest(7, 'tools/call', { name: 'lookup', arguments: {} });
    const response = await post(url, body, { ...headers, traceparent: `00-${TRACE}-${PARENT}-01` });
    expect(response.status).toBe(200);
    const spans = spansOf(TRACE);
    const request = spans.find((span) => span.name === 'tools/call lookup');
    const tool = spans.find((span) => span.name === 'execute_tool lookup');
    expect(request).toMatchObject({
      kind: SpanKind.SERVER,
      parentSpanId: PARENT,
      attributes: {
        'mcp.method.name': 'tools/call',
        'mcp.protocol.version': '2026-07-28',
        'jsonrpc.request.id': '7',
        'gen_ai.tool.name': 'lookup',
        'gen_ai.operation.name': 'execute_tool',
        'network.transport': 'tcp',
      },
    });
    expect(tool).toMatchObject({ kind: SpanKind.INTERNAL, parentSpanId: request?.spanContext.spanId });
    expect(tool?.attributes['gen_ai.tool.name']).toBe('lookup');
  });

  it('prefers the _meta trace context (2026-07-28, SEP-414 keys) over the HTTP header', async () => {
    const { headers, body } = modernRequest(8, 'prompts/get', {
      name: 'triage',
      _meta: { traceparent: `00-${META_TRACE}-${META_PARENT}-01`, tracestate: 'vendor=1' },
    });
    await post(url, body, { ...headers, traceparent: `00-${TRACE}-${PARENT}-01` });
    const [span] = spansOf(META_TRACE);
    expect(span).toMatchObject({
      name: 'prompts/get triage',
      parentSpanId: META_PARENT,
      attributes: { 'gen_ai.prompt.name': 'triage' },
    });
  });

  it('marks a tool error as error.type tool_error, and a bad traceparent starts a new trace', async () => {
    const { headers, body } = modernRequest(9, 'tools/call', { name: 'broken', arguments: {} });
    await post(url, body, { ...headers, traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
    const span = provider.spans.findLast((s) => s.name === 'tools/call broken');
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.attributes['error.type']).toBe('tool_error');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records a JSON-RPC error with its code, and 2025-era sessions get mcp.session.id (official SDK v2 client)', async () => {
    const client = new Client({ name: 'trace', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    const sessionId = transport.sessionId;
    try {
      await client.listTools();
      await expect(client.readResource({ uri: 'memo://missing' })).rejects.toThrow();
    } finally {
      await client.close();
    }
    const list = provider.spans.findLast((s) => s.name === 'tools/list');
    expect(sessionId).toEqual(expect.any(String));
    expect(list?.attributes['mcp.session.id']).toBe(sessionId);
    expect(list?.attributes['mcp.protocol.version']).toBe('2025-11-25');
    const read = provider.spans.findLast((s) => s.name === 'resources/read');
    expect(read?.attributes['mcp.resource.uri']).toBe('memo://missing');
    expect(read?.attributes['error.type']).toBe('-32002');
    expect(read?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('tracing() without HTTP', () => {
  it('works through the in-memory client, with network.transport pipe', async () => {
    const provider = new TestTracerProvider();
    const { Switchboard } = await import('switchboard-mcp');
    const server = new Switchboard({ name: 't', version: '1' });
    server.tool('lookup', {}, () => 'found');
    server.use(tracing({ tracerProvider: provider }));
    const client = new TestClient(server);
    await client.callTool('lookup', {});
    expect(provider.spans.map((s) => s.name)).toEqual(['execute_tool lookup', 'tools/call lookup']);
    expect(provider.spans[1]?.attributes['network.transport']).toBe('pipe');
  });
});

describe('parseTraceparent', () => {
  it('accepts version 00 and rejects malformed or all-zero ids', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`, undefined)).toMatchObject({ traceId: TRACE, traceFlags: 1 });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`, undefined)?.traceFlags).toBe(0);
    for (const bad of [
      'garbage',
      `ff-${TRACE}-${PARENT}-01`,
      `00-${TRACE}-${PARENT}-01-extra`,
      `00-${TRACE.toUpperCase()}-${PARENT}-01`,
      `00-${TRACE}-0000000000000000-01`,
      42,
    ]) {
      expect(parseTraceparent(bad, undefined)).toBeUndefined();
    }
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-future`, undefined)?.spanId).toBe(PARENT);
  });
});
