import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Switchboard } from 'switchboard-mcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collectSse, legacyHeaders, openLegacySession, post, startServer } from '../support/http.js';

let url: string;
let close: () => Promise<void>;
/** Settles when the `hang` call in progress has started (and sent its progress, if asked to). */
let running: Promise<void>;
/** Settles when the `hang` call in progress has seen its cancellation. */
let aborted: Promise<void>;

function register(server: Switchboard): void {
  server.tool('hang', { input: { progress: z.boolean() } }, async ({ progress }, ctx) => {
    if (progress) ctx.progress(1, 2);
    markRunning();
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    markAborted();
    return 'never sent';
  });
  server.tool('ok', {}, () => 'fine');
}

let markRunning: () => void = () => {};
let markAborted: () => void = () => {};
function expectHang(): void {
  running = new Promise((resolve) => {
    markRunning = resolve;
  });
  aborted = new Promise((resolve) => {
    markAborted = resolve;
  });
}

beforeAll(async () => {
  ({ url, close } = await startServer(register));
});
afterAll(() => close());

const call = (id: number, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: meta } });
const cancel = (id: number) =>
  JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'user' } });

describe('a cancelled 2025-era request gets no response', () => {
  it('in JSON mode: an SSE stream that ends at once, with no event and no id to resume from', async () => {
    expectHang();
    const session = await openLegacySession(url);
    const pending = post(url, call(1, 'hang', { progress: false }), legacyHeaders(session));
    await running;
    expect((await post(url, cancel(1), legacyHeaders(session))).status).toBe(202);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe('');
    const next = await post(url, call(2, 'ok', {}), legacyHeaders(session));
    expect(JSON.parse(await next.text()).result.content[0].text).toBe('fine');
  });

  it('on a resumable stream: no response, and the stream stays open until the session ends', async () => {
    expectHang();
    const session = await openLegacySession(url);
    const response = await post(
      url,
      call(3, 'hang', { progress: true }, { progressToken: 'p' }),
      legacyHeaders(session),
    );
    const events = collectSse(response);
    await running;
    await post(url, cancel(3), legacyHeaders(session));
    await aborted;
    const next = await post(url, call(4, 'ok', {}), legacyHeaders(session));
    expect(JSON.parse(await next.text()).result.content[0].text).toBe('fine');
    let ended = false;
    void events.then(() => {
      ended = true;
    });
    expect(ended).toBe(false);
    await fetch(url, { method: 'DELETE', headers: legacyHeaders(session) });
    expect((await events).map((e) => e.data?.method ?? (e.data === undefined ? 'priming' : 'response'))).toEqual([
      'priming',
      'notifications/progress',
    ]);
  });
});

describe('the SDK v1 client cancelling with an AbortSignal', () => {
  for (const progress of [false, true]) {
    it(`stays healthy: no error, and the next call works (${progress ? 'SSE' : 'JSON'} reply)`, async () => {
      expectHang();
      let hangBodyEnded = false;
      let markBodyEnded!: () => void;
      const hangBodyDone = new Promise<void>((resolve) => {
        markBodyEnded = () => {
          hangBodyEnded = true;
          resolve();
        };
      });
      // Sees when the client has read the whole HTTP response of the cancelled call.
      const watchingFetch = async (input: string | URL | Request, init?: RequestInit) => {
        const response = await fetch(input, init);
        if (typeof init?.body !== 'string' || !init.body.includes('"hang"')) return response;
        if (response.body === null) {
          markBodyEnded();
          return response;
        }
        const body = response.body.pipeThrough(new TransformStream({ flush: () => markBodyEnded() }));
        return new Response(body, { status: response.status, headers: response.headers });
      };
      const errors: unknown[] = [];
      const client = new Client({ name: 'cancelling', version: '1.0.0' });
      client.onerror = (error) => errors.push(error);
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: watchingFetch }));
      try {
        const controller = new AbortController();
        const outcome = client
          .callTool({ name: 'hang', arguments: { progress } }, undefined, {
            signal: controller.signal,
            onprogress: () => controller.abort('user cancelled'),
          })
          .catch((error: unknown) => error);
        await running;
        if (!progress) controller.abort('user cancelled');
        expect(String(await outcome)).toContain('user cancelled');
        await aborted;
        // JSON mode: the empty stream reaches the client before its next call; SSE: the stream is left open.
        if (!progress) await hangBodyDone;
        const next = await client.callTool({ name: 'ok', arguments: {} });
        expect(next.content).toEqual([{ type: 'text', text: 'fine' }]);
        expect(hangBodyEnded).toBe(!progress);
        expect(errors).toEqual([]);
      } finally {
        await client.close();
      }
      expect(errors).toEqual([]);
    });
  }
});
