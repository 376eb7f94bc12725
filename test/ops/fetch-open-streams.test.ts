import { Switchboard } from 'switchboard-mcp';
import { createFetchHandler } from 'switchboard-mcp/http';
import { createMetrics } from 'switchboard-mcp/observability';
import { describe, expect, it } from 'vitest';
import { modernRequest } from '../support/http.js';

/** The value of an unlabelled gauge in a scrape. */
function gauge(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** A server whose `slow` tool sends progress (so its answer is an SSE stream) and waits for `release`. */
function slowServer() {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = new Switchboard({ name: 'fetch-streams', version: '1.0.0' });
  server.tool('slow', {}, async (_args, ctx) => {
    ctx.progress(1, 2);
    await gate;
    return 'done';
  });
  return { server, release };
}

function slowCall(signal?: AbortSignal): Request {
  const { headers, body } = modernRequest(1, 'tools/call', {
    name: 'slow',
    arguments: {},
    _meta: { progressToken: 1 },
  });
  return new Request('http://localhost/mcp', { method: 'POST', headers, body, signal });
}

describe('the fetch adapter counts open SSE streams for the metrics gauge', () => {
  it('counts a streamed answer while it is open and not once it has ended', async () => {
    const { server, release } = slowServer();
    const handler = createFetchHandler(server);
    const metrics = createMetrics().watch({ endpoints: [handler.endpoint] });
    expect(gauge(await metrics.scrape(), 'switchboard_open_streams')).toBe(0);
    // The Response settles once the stream has started: the progress notification opened it.
    const response = await handler(slowCall());
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(gauge(await metrics.scrape(), 'switchboard_open_streams')).toBe(1);
    release();
    expect(await response.text()).toContain('"text":"done"');
    expect(gauge(await metrics.scrape(), 'switchboard_open_streams')).toBe(0);
  });

  it('stops counting a stream whose client went away, once, however it ends', async () => {
    const { server, release } = slowServer();
    const handler = createFetchHandler(server);
    const controller = new AbortController();
    const response = await handler(slowCall(controller.signal));
    expect(handler.endpoint.stats().streams).toBe(1);
    controller.abort();
    expect(handler.endpoint.stats().streams).toBe(0);
    // The call finishing after its client left must not count the stream down a second time.
    release();
    await response.body?.cancel();
    // close() waits for the call in flight to finish and write its (unreadable) answer.
    await handler.endpoint.close();
    expect(handler.endpoint.stats()).toMatchObject({ inflight: 0, streams: 0 });
  });
});
