import type { Switchboard } from 'switchboard-mcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collectSse, legacyHeaders, openLegacySession, post, readSse, startServer } from '../support/http.js';

let url: string;
let server: Switchboard;
let close: () => Promise<void>;
let release: () => void = () => {};
let observedAbort = false;
let waitStarted: () => void = () => {};

beforeAll(async () => {
  const started = await startServer((s) => {
    s.resource('memo://today', { name: 'today' }, () => 'hello');
    s.tool('ask', {}, async (_args, ctx) => {
      const answer = await ctx.elicit('Your name?', { name: z.string() });
      return answer.action === 'accept' ? `Hi ${answer.content.name}` : 'declined';
    });
    s.tool('steps', { input: { n: z.number() } }, async ({ n }, ctx) => {
      for (let i = 1; i <= n; i++) {
        ctx.progress(i, n);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'finished';
    });
    s.tool('wait', {}, async (_args, ctx) => {
      const { signal } = ctx;
      waitStarted();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      observedAbort = true;
      return 'aborted';
    });
  });
  ({ url, server, close } = started);
});
afterAll(() => close());

const call = (id: number, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(meta && { _meta: meta }) },
  });

describe('2025-11-25 sessions over HTTP', () => {
  it('streams list_changed on the GET stream and refuses a second one with 409', async () => {
    const session = await openLegacySession(url);
    const stream = await fetch(url, { headers: { ...legacyHeaders(session), accept: 'text/event-stream' } });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const second = await fetch(url, { headers: { ...legacyHeaders(session), accept: 'text/event-stream' } });
    expect(second.status).toBe(409);
    const events = readSse(stream);
    const priming = await events.next();
    expect(priming.value).toMatchObject({ id: expect.any(String), retry: 1000 });
    expect(priming.value?.data).toBeUndefined();
    const added = server.tool('late', {}, () => 'late');
    const next = await events.next();
    expect(next.value?.data).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    added.remove();
    await events.return(undefined);
  });

  it('delivers resources/updated only for subscribed URIs', async () => {
    const session = await openLegacySession(url);
    const subscribe = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: 'memo://today' } }),
      legacyHeaders(session),
    );
    expect(JSON.parse(await subscribe.text()).result).toEqual({});
    const stream = await fetch(url, { headers: { ...legacyHeaders(session), accept: 'text/event-stream' } });
    const events = readSse(stream);
    await events.next();
    server.notifyResourceUpdated('memo://other');
    server.notifyResourceUpdated('memo://today');
    expect((await events.next()).value?.data).toMatchObject({
      method: 'notifications/resources/updated',
      params: { uri: 'memo://today' },
    });
    await events.return(undefined);
  });

  it('asks the client with a real elicitation/create request on the POST stream', async () => {
    const session = await openLegacySession(url, { elicitation: {} });
    const response = await post(url, call(2, 'ask'), legacyHeaders(session));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = readSse(response);
    let request: Record<string, unknown> | undefined;
    while (request === undefined) {
      const { value, done } = await events.next();
      if (done) break;
      if (value.data?.method === 'elicitation/create') request = value.data;
    }
    expect(request).toMatchObject({ params: { message: 'Your name?', requestedSchema: { type: 'object' } } });
    const answer = JSON.stringify({
      jsonrpc: '2.0',
      id: request?.id,
      result: { action: 'accept', content: { name: 'Grace' } },
    });
    expect((await post(url, answer, legacyHeaders(session))).status).toBe(202);
    const rest: unknown[] = [];
    for await (const event of events) rest.push(event.data);
    expect(rest.at(-1)).toMatchObject({ id: 2, result: { content: [{ type: 'text', text: 'Hi Grace' }] } });
  });

  it('resumes a broken POST stream with Last-Event-ID, replaying only what was missed', async () => {
    const session = await openLegacySession(url);
    const controller = new AbortController();
    const response = await post(
      url,
      call(3, 'steps', { n: 3 }, { progressToken: 'tok' }),
      legacyHeaders(session),
      controller.signal,
    );
    const seen = await collectSse(response, (event) => event.data?.method === 'notifications/progress');
    controller.abort();
    // 2025-11-25: the POST stream opens with a priming event (an id, empty data, a retry hint).
    expect(seen[0]).toEqual({ id: expect.any(String), retry: 1000 });
    const lastId = seen.at(-1)?.id as string;
    expect(lastId).toBeDefined();
    const resumed = await fetch(url, {
      headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'last-event-id': lastId },
    });
    expect(resumed.status).toBe(200);
    const events = readSse(resumed);
    const replayed = [(await events.next()).value, (await events.next()).value];
    expect(replayed.map((e) => (e?.data?.params as { progress?: number } | undefined)?.progress)).toEqual([2, 3]);
    release();
    const final = (await events.next()).value;
    expect(final?.data).toMatchObject({ id: 3, result: { content: [{ text: 'finished' }] } });
    const other = await openLegacySession(url);
    const foreign = await fetch(url, {
      headers: { ...legacyHeaders(other), accept: 'text/event-stream', 'last-event-id': lastId },
    });
    expect(foreign.status).toBe(404);
  });

  it('cancels a request on notifications/cancelled, not on disconnect', async () => {
    const session = await openLegacySession(url);
    observedAbort = false;
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => {
      waitStarted = resolve;
    });
    const pending = post(url, call(4, 'wait'), legacyHeaders(session), controller.signal).catch(() => undefined);
    await started;
    controller.abort();
    await pending;
    // A full round trip on the session after the hang-up: the server has seen the disconnect by the time it answers.
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'ping' });
    expect((await post(url, ping, legacyHeaders(session))).status).toBe(200);
    expect(observedAbort).toBe(false);
    const cancel = JSON.stringify({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 4, reason: 'user' },
    });
    expect((await post(url, cancel, legacyHeaders(session))).status).toBe(202);
    await expect.poll(() => observedAbort).toBe(true);
  });
});
