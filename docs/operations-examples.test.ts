import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatedServer } from './examples/operations.js';

describe('docs/operations.md: a server with quotas, metrics, tracing, access log and health checks', () => {
  let started: Awaited<ReturnType<typeof startOperatedServer>>;
  beforeAll(async () => {
    started = await startOperatedServer({ port: 0 });
  });
  afterAll(() => started?.close());

  it('answers health probes on the MCP port and metrics on their own', async () => {
    expect((await fetch(new URL('/healthz', started.http.url))).status).toBe(200);
    const ready = await fetch(new URL('/readyz', started.http.url));
    expect(await ready.json()).toEqual({ status: 'ready', checks: {} });
    expect((await fetch(new URL('/metrics', started.http.url))).status).toBe(404);
  });

  it('limits export_leads to two calls an hour and counts the refusal', async () => {
    const client = new Client({ name: 'docs', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(started.http.url)));
    try {
      expect((await client.callTool({ name: 'search_leads', arguments: { q: 'ada' } })).isError).toBeFalsy();
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await client.callTool({ name: 'export_leads', arguments: {} }));
      expect(results.map((r) => Boolean(r.isError))).toEqual([false, false, true]);
      expect(JSON.stringify(results[2]?.content)).toMatch(/Retry after \d+ seconds/);
    } finally {
      await client.close();
    }
    const text = await (await fetch(started.metricsUrl)).text();
    expect(text).toMatch(
      /switchboard_quota_rejections_total\{budget="tool",method="tools\/call",tool="export_leads"\} 1/,
    );
    expect(text).toMatch(
      /switchboard_requests_total\{method="tools\/call",tool="search_leads",era="modern",outcome="ok"\} 1/,
    );
  });
});
