import { Switchboard } from 'switchboard-mcp';
import { createFetchHandler } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SseEvent } from '../support/http.js';
import { collectSse, modernRequest, post, readSse, startServer } from '../support/http.js';

let url: string;
let server: Switchboard;
let close: () => Promise<void>;
let aborted = false;
let hangStarted: () => void = () => {};

beforeAll(async () => {
  const started = await startServer((s) => {
    s.tool('count', { input: { to: z.number() } }, async ({ to }, ctx) => {
      for (let i = 1; i <= to; i++) ctx.progress(i, to, `step ${i}`);
      ctx.log.info('counted');
      return String(to);
    });
    s.tool('hang', {}, async (_args, ctx) => {
      hangStarted();
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = true;
      return 'never sent';
    });
  });
  ({ url, server, close } = started);
});
afterAll(() => close());

describe('2026-07-28 over Streamable HTTP', () => {
  it('answers with plain JSON when nothing streams, and SSE scoped to the request when it does', async () => {
    const plain = modernRequest(1, 'tools/call', { name: 'count', arguments: { to: 2 } });
    const json = await post(url, plain.body, plain.headers);
    expect(json.headers.get('content-type')).toBe('application/json');
    const streamed = modernRequest(2, 'tools/call', {
      name: 'count',
      arguments: { to: 2 },
      _meta: { progressToken: 'p', 'io.modelcontextprotocol/logLevel': 'info' },
    });
    const response = await post(url, streamed.body, streamed.headers);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const events = await collectSse(response);
    expect(events.map((e) => e.data?.method ?? 'result')).toEqual([
      'notifications/progress',
      'notifications/progress',
      'notifications/message',
      'result',
    ]);
    expect(events.every((e) => e.id === undefined)).toBe(true);
    expect(events.at(-1)?.data).toMatchObject({ id: 2, result: { resultType: 'complete', content: [{ text: '2' }] } });
  });

  it('treats a closed response stream as cancellation', async () => {
    aborted = false;
    const running = new Promise<void>((resolve) => {
      hangStarted = resolve;
    });
    const controller = new AbortController();
    const { headers, body } = modernRequest(3, 'tools/call', { name: 'hang', arguments: {} });
    const pending = post(url, body, headers, controller.signal).catch(() => undefined);
    await running;
    controller.abort();
    await pending;
    await expect.poll(() => aborted).toBe(true);
  });

  it('subscriptions/listen: acknowledgment first, then opted-in changes tagged with the subscription id', async () => {
    const { headers, body } = modernRequest('sub-1', 'subscriptions/listen', {
      notifications: { toolsListChanged: true, promptsListChanged: false },
    });
    const controller = new AbortController();
    const response = await post(url, body, headers, controller.signal);
    const events = readSse(response);
    const ack = (await events.next()).value;
    expect(ack?.data).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: {
        _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' },
        notifications: { toolsListChanged: true },
      },
    });
    server.prompt('ignored', {}, () => 'not subscribed');
    const tool = server.tool('fresh', {}, () => 'new');
    const change = (await events.next()).value;
    expect(change?.data).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' } },
    });
    tool.remove();
    controller.abort();
  });

  it('rejects a listen request without a filter', async () => {
    const { headers, body } = modernRequest(4, 'subscriptions/listen', {});
    const response = await post(url, body, headers);
    expect(JSON.parse(await response.text()).error.code).toBe(-32602);
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight call finish, ends subscriptions with a result, then refuses connections', async () => {
    let finish!: (text: string) => void;
    let markRunning!: () => void;
    const slowRunning = new Promise<void>((resolve) => {
      markRunning = resolve;
    });
    const started = await startServer((s) => {
      s.tool(
        'slow',
        {},
        () =>
          new Promise<string>((resolve) => {
            finish = resolve;
            markRunning();
          }),
      );
    });
    const slow = modernRequest(1, 'tools/call', { name: 'slow', arguments: {} });
    const inFlight = post(started.url, slow.body, slow.headers).then((r) => r.text());
    const listen = modernRequest(2, 'subscriptions/listen', { notifications: { toolsListChanged: true } });
    const listenResponse = await post(started.url, listen.body, listen.headers);
    const listenEvents = readSse(listenResponse);
    // The acknowledgment means the subscription is registered; the slow call is running once its handler said so.
    const ack = (await listenEvents.next()).value;
    expect(ack?.data?.method).toBe('notifications/subscriptions/acknowledged');
    await slowRunning;
    const closing = started.close();
    // close() has begun (it refuses new requests synchronously); only now does the in-flight call finish.
    finish('done late');
    expect(JSON.parse(await inFlight).result.content[0].text).toBe('done late');
    const events: SseEvent[] = [];
    for await (const event of listenEvents) events.push(event);
    expect(events.at(-1)?.data).toMatchObject({
      id: 2,
      result: { resultType: 'complete', _meta: { 'io.modelcontextprotocol/subscriptionId': 2 } },
    });
    await closing;
    await expect(post(started.url, slow.body, slow.headers)).rejects.toThrow();
  });
});

describe('fetch handler (Hono, Bun, Deno)', () => {
  it('serves the same endpoint from Request to Response', async () => {
    const s = new Switchboard({ name: 'fetchy', version: '1.0.0' });
    s.tool('echo', { input: { text: z.string() } }, ({ text }) => text);
    const handler = createFetchHandler(s);
    const { headers, body } = modernRequest(1, 'tools/call', { name: 'echo', arguments: { text: 'via fetch' } });
    const response = await handler(new Request('http://localhost/mcp', { method: 'POST', headers, body }));
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text()).result.content[0].text).toBe('via fetch');
    const bad = await handler(new Request('http://localhost/mcp', { method: 'POST', headers, body: '{' }));
    expect(bad.status).toBe(400);
    const evil = await handler(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { ...headers, origin: 'https://evil.example' },
        body,
      }),
    );
    expect(evil.status).toBe(403);
  });
});
