import { Switchboard } from 'switchboard-mcp';
import { createFetchHandler, createNodeHandler } from 'switchboard-mcp/http';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  collectSse,
  LEGACY,
  legacyHeaders,
  modernRequest,
  openLegacySession,
  post,
  readSse,
  startFetchServer,
  startNodeServer,
  startServer,
} from '../support/http.js';

/** A tool that reports when it starts and returns whatever `finish` is given. */
function gate() {
  let started!: () => void;
  let finish!: (text: string) => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const handler = () => {
    started();
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  return { running, handler, finish: (text: string) => finish(text) };
}

const legacyCall = (id: number, name: string, meta?: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {}, _meta: meta } });

describe('close() drains in-flight calls of both eras before ending sessions', () => {
  it('sends a 2025-era JSON result that finishes after close() began (not 204)', async () => {
    const slow = gate();
    const started = await startServer((s) => s.tool('slow', {}, slow.handler));
    const session = await openLegacySession(started.url);
    const call = post(started.url, legacyCall(1, 'slow'), legacyHeaders(session));
    await slow.running;
    const closing = started.close();
    slow.finish('done late');
    const response = await call;
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toMatchObject({ id: 1, result: { content: [{ text: 'done late' }] } });
    await closing;
  });

  it('ends a 2025-era SSE reply with its result, after the progress sent before close()', async () => {
    let finish!: () => void;
    let progressed!: () => void;
    const progressSent = new Promise<void>((resolve) => {
      progressed = resolve;
    });
    const started = await startServer((s) =>
      s.tool('steps', {}, async (_args, ctx) => {
        ctx.progress(1, 2);
        progressed();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return 'stepped';
      }),
    );
    const session = await openLegacySession(started.url);
    const response = await post(started.url, legacyCall(2, 'steps', { progressToken: 'p' }), legacyHeaders(session));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await progressSent;
    const closing = started.close();
    finish();
    const events = await collectSse(response);
    expect(events.map((e) => e.data?.method ?? e.data?.id)).toEqual([undefined, 'notifications/progress', 2]);
    expect(events.at(-1)?.data).toMatchObject({ result: { content: [{ text: 'stepped' }] } });
    await closing;
  });
});

describe('a request arriving while closing gets 503', () => {
  it('node handler in your own server: new requests and GET refused, a client answer still accepted', async () => {
    const server = new Switchboard({ name: 'own-server', version: '1.0.0' });
    server.tool('ask', {}, async (_args, ctx) => {
      const answer = await ctx.elicit('Name?', { name: z.string() });
      return answer.action === 'accept' ? `Hi ${answer.content.name}` : 'declined';
    });
    const handler = createNodeHandler(server);
    const http = await startNodeServer((req, res) => void handler(req, res));
    try {
      const session = await openLegacySession(http.url, { elicitation: {} });
      const response = await post(http.url, legacyCall(1, 'ask'), legacyHeaders(session));
      const events = readSse(response);
      let elicitation = (await events.next()).value;
      while (elicitation?.data === undefined) elicitation = (await events.next()).value;
      expect(elicitation.data).toMatchObject({ method: 'elicitation/create' });

      const closing = handler.endpoint.close();
      const { headers, body } = modernRequest(7, 'server/discover');
      const refused = await post(http.url, body, headers);
      expect(refused.status).toBe(503);
      expect(JSON.parse(await refused.text())).toMatchObject({ id: 7, error: { code: -32603 } });
      const stream = await fetch(http.url, { headers: { ...legacyHeaders(session), accept: 'text/event-stream' } });
      expect(stream.status).toBe(503);
      await stream.text();

      // The call in flight waits on this answer, so the endpoint still takes it.
      const answer = await post(
        http.url,
        JSON.stringify({
          jsonrpc: '2.0',
          id: elicitation.data.id,
          result: { action: 'accept', content: { name: 'Ada' } },
        }),
        { ...legacyHeaders(session), 'mcp-protocol-version': LEGACY },
      );
      expect(answer.status).toBe(202);
      let last = (await events.next()).value;
      while (last?.data?.id !== 1) last = (await events.next()).value;
      expect(last.data).toMatchObject({ result: { content: [{ text: 'Hi Ada' }] } });
      await closing;
      const after = await post(http.url, body, headers);
      expect(after.status).toBe(503);
      await after.text();
    } finally {
      await http.close();
    }
  });

  it('fetch handler: refuses with 503 while an in-flight call drains and answers', async () => {
    const slow = gate();
    const server = new Switchboard({ name: 'fetch-server', version: '1.0.0' });
    server.tool('slow', {}, slow.handler);
    const handler = createFetchHandler(server);
    const http = await startFetchServer(handler);
    try {
      const call = modernRequest(1, 'tools/call', { name: 'slow', arguments: {} });
      const inFlight = post(http.url, call.body, call.headers);
      await slow.running;
      const closing = handler.endpoint.close();
      const { headers, body } = modernRequest(2, 'server/discover');
      const refused = await post(http.url, body, headers);
      expect(refused.status).toBe(503);
      expect(JSON.parse(await refused.text())).toMatchObject({ id: 2, error: { code: -32603 } });
      slow.finish('drained');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('drained');
      await closing;
    } finally {
      await http.close();
    }
  });
});
