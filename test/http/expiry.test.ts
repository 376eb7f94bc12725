import type { IncomingMessage, ServerResponse } from 'node:http';
import { Switchboard } from 'switchboard-mcp';
import { createNodeHandler } from 'switchboard-mcp/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { legacyHeaders, openLegacySession, post, readSse, startNodeServer, startServer } from '../support/http.js';

afterEach(() => {
  vi.useRealTimers();
});

const IDLE_MS = 60_000;
const call = (id: number, name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

describe('session expiry', () => {
  it('answers 404 once a session has been idle past sessionIdleMs, and a fresh initialize works', async () => {
    const { url, close } = await startServer((s) => s.tool('ping_tool', {}, () => 'pong'), { sessionIdleMs: IDLE_MS });
    try {
      const session = await openLegacySession(url);
      expect((await post(url, call(1, 'ping_tool'), legacyHeaders(session))).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + IDLE_MS + 1000);
      const expired = await post(url, call(1, 'ping_tool'), legacyHeaders(session));
      expect(expired.status).toBe(404);
      expect(JSON.parse(await expired.text()).error.message).toContain('expired');
      const renewed = await openLegacySession(url);
      expect((await post(url, call(1, 'ping_tool'), legacyHeaders(renewed))).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await close();
    }
  });
});

describe('a busy session does not expire', () => {
  /** A server whose clock (Date and the refresh interval) the test advances; `getClosed` settles when a GET ends. */
  async function startClocked(register: (server: Switchboard) => void) {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    const server = new Switchboard({ name: 'clocked', version: '1.0.0' });
    server.tool('ping_tool', {}, () => 'pong');
    register(server);
    const handler = createNodeHandler(server, { sessionIdleMs: IDLE_MS });
    let getClosed!: () => void;
    const streamClosed = new Promise<void>((resolve) => {
      getClosed = resolve;
    });
    const started = await startNodeServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'GET') res.once('close', getClosed);
      void handler(req, res);
    });
    return { ...started, streamClosed };
  }

  it('while its GET stream is open; once the stream closes it expires after sessionIdleMs', async () => {
    const { url, close, streamClosed } = await startClocked(() => {});
    try {
      const session = await openLegacySession(url);
      const controller = new AbortController();
      const stream = await fetch(url, {
        headers: { ...legacyHeaders(session), accept: 'text/event-stream' },
        signal: controller.signal,
      });
      await readSse(stream).next();
      vi.advanceTimersByTime(5 * IDLE_MS);
      expect((await post(url, call(1, 'ping_tool'), legacyHeaders(session))).status).toBe(200);
      controller.abort();
      await streamClosed;
      vi.advanceTimersByTime(IDLE_MS + 1000);
      expect((await post(url, call(2, 'ping_tool'), legacyHeaders(session))).status).toBe(404);
    } finally {
      vi.useRealTimers();
      await close();
    }
  });

  it('while a call runs longer than sessionIdleMs', async () => {
    let started!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { url, close } = await startClocked((s) =>
      s.tool('long', {}, async () => {
        started();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return 'done';
      }),
    );
    try {
      const session = await openLegacySession(url);
      const long = post(url, call(1, 'long'), legacyHeaders(session));
      await running;
      vi.advanceTimersByTime(5 * IDLE_MS);
      expect((await post(url, call(2, 'ping_tool'), legacyHeaders(session))).status).toBe(200);
      finish();
      expect(JSON.parse(await (await long).text()).result.content[0].text).toBe('done');
    } finally {
      vi.useRealTimers();
      await close();
    }
  });
});
