import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { MemoryBus, MemoryEventStore, ToolError } from 'switchboard-mcp';
import { createMetrics } from 'switchboard-mcp/observability';
import { quota } from 'switchboard-mcp/quota';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest, post, startServer } from '../support/http.js';

/** The value of one sample line, e.g. `switchboard_requests_total{method="tools/call",…}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (Object.entries(labels).every(([key, value]) => rest.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('metrics on /metrics (a registry per server)', () => {
  const metrics = createMetrics();
  const other = createMetrics();
  const events = new MemoryEventStore();
  let started: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    started = await startServer(
      (server) => {
        server.tool('lookup', {}, () => 'found');
        server.tool('broken', {}, () => {
          throw new ToolError('No such lead');
        });
        server.tool('limited', {}, () => 'ok');
        server.use(metrics.middleware);
        server.use(quota({ perTool: { limited: { points: 1, durationSec: 60 } }, onRejected: metrics.quotaRejected }));
      },
      { routes: [metrics.route()], eventStore: events },
    );
    metrics.watch({ endpoints: [started.handle], eventStoreBytes: () => events.bytes });
  });
  afterAll(() => started.close());

  const scrape = async () => {
    const response = await fetch(new URL('/metrics', started.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('counts requests by method, tool, era and outcome, with latency histograms', async () => {
    for (const name of ['lookup', 'lookup', 'broken', 'limited', 'limited']) {
      const { headers, body } = modernRequest(1, 'tools/call', { name, arguments: {} });
      expect((await post(started.url, body, headers)).status).toBe(200);
    }
    const client = new Client({ name: 'metrics', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    const transport = new StreamableHTTPClientTransport(new URL(started.url));
    await client.connect(transport);
    await client.callTool({ name: 'lookup', arguments: {} });
    const whileOpen = await scrape();
    expect(sample(whileOpen, 'switchboard_open_sessions')).toBe(1);
    expect(sample(whileOpen, 'switchboard_event_store_bytes')).toBeGreaterThan(0);
    await transport.terminateSession();
    await client.close();

    const text = await scrape();
    const calls = (tool: string, era: string, outcome: string) =>
      sample(text, 'switchboard_requests_total', { method: 'tools/call', tool, era, outcome });
    expect(calls('lookup', 'modern', 'ok')).toBe(2);
    expect(calls('lookup', 'legacy', 'ok')).toBe(1);
    expect(calls('broken', 'modern', 'tool_error')).toBe(1);
    // The quota's refusal is a tool_error the metrics middleware (registered first) sees, and a rejection.
    expect(calls('limited', 'modern', 'tool_error')).toBe(1);
    expect(sample(text, 'switchboard_quota_rejections_total', { budget: 'tool', tool: 'limited' })).toBe(1);
    expect(sample(text, 'switchboard_requests_total', { method: 'initialize', era: 'legacy', outcome: 'ok' })).toBe(1);
    expect(
      sample(text, 'switchboard_request_duration_seconds_count', {
        method: 'tools/call',
        tool: 'lookup',
        era: 'modern',
      }),
    ).toBe(2);
    expect(
      sample(text, 'switchboard_request_duration_seconds_bucket', { tool: 'lookup', era: 'modern', le: '+Inf' }),
    ).toBe(2);
    expect(sample(text, 'switchboard_calls_in_flight', { method: 'tools/call' })).toBe(0);
    expect(sample(text, 'switchboard_open_sessions')).toBe(0);
    // The scrape itself is a route beside the MCP endpoint, not one of its requests.
    expect(sample(text, 'switchboard_http_requests_in_flight')).toBe(0);
    // The ended session's events were dropped with it.
    expect(sample(text, 'switchboard_event_store_bytes')).toBe(0);
  });

  it('keeps registries apart: another server’s metrics see none of this', async () => {
    const text = await other.scrape();
    expect(sample(text, 'switchboard_requests_total', { tool: 'lookup' })).toBeUndefined();
  });

  it('reports open SSE streams and in-flight calls while a call streams progress', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = await startServer((server) => {
      server.tool('slow', {}, async (_args, ctx) => {
        ctx.progress(1, 2);
        await gate;
        return 'done';
      });
      server.use(metrics.middleware);
    });
    const watched = createMetrics().watch({ endpoints: [slow.handle] });
    try {
      const { headers, body } = modernRequest(1, 'tools/call', {
        name: 'slow',
        arguments: {},
        _meta: { progressToken: 'p1' },
      });
      const pending = post(slow.url, body, headers);
      let text = '';
      for (let i = 0; i < 100 && sample(text, 'switchboard_open_streams') !== 1; i++) {
        text = await watched.scrape();
        if (sample(text, 'switchboard_open_streams') !== 1) await new Promise((r) => setTimeout(r, 20));
      }
      expect(sample(text, 'switchboard_open_streams')).toBe(1);
      expect(sample(await metrics.scrape(), 'switchboard_calls_in_flight', { method: 'tools/call' })).toBe(1);
      release();
      await (await pending).text();
      expect(sample(await watched.scrape(), 'switchboard_open_streams')).toBe(0);
    } finally {
      release();
      await slow.close();
    }
  });

  it('serves on a port of its own when asked', async () => {
    const listener = await metrics.listen({ port: 0 });
    try {
      const response = await fetch(listener.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('switchboard_requests_total');
      expect((await fetch(new URL('/other', listener.url))).status).toBe(404);
      expect((await fetch(listener.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await listener.close();
    }
  });

  it('measures bus lag: the time from publish to hearing the event back', async () => {
    const lagged = createMetrics();
    const bus = lagged.instrumentBus(new MemoryBus());
    await bus.publish({ type: 'tools/list_changed' });
    await bus.publish({ type: 'resources/updated', uri: 'memo://1' });
    expect(sample(await lagged.scrape(), 'switchboard_bus_lag_seconds_count')).toBe(2);
  });
});
