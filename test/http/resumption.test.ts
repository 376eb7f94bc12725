import { MemoryEventStore, MemorySessionStore, Switchboard } from 'switchboard-mcp';
import { createNodeHandler } from 'switchboard-mcp/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { SseEvent } from '../support/http.js';
import { collectSse, legacyHeaders, openLegacySession, post, startNodeServer, startServer } from '../support/http.js';

afterEach(() => {
  vi.useRealTimers();
});

function register(server: Switchboard): void {
  server.tool('count', { input: { steps: z.array(z.number()), pad: z.number().optional() } }, ({ steps, pad }, ctx) => {
    for (const step of steps) ctx.progress(step, 10);
    return `counted ${steps.join(',')}${'.'.repeat(pad ?? 0)}`;
  });
}

/** A call that streams its progress, read to the end of its SSE response. */
async function streamedCall(url: string, session: string, id: string, steps: number[], pad = 0): Promise<SseEvent[]> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'count', arguments: { steps, pad }, _meta: { progressToken: id } },
  });
  const response = await post(url, body, legacyHeaders(session));
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  return collectSse(response);
}

/** What a `Last-Event-ID` resume of the stream that carried `lastEventId` replays. */
async function resume(url: string, session: string, lastEventId: string): Promise<SseEvent[]> {
  const response = await fetch(url, {
    headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'last-event-id': lastEventId },
  });
  expect(response.status).toBe(200);
  return collectSse(response);
}

/** Asserts `replayed` is exactly what followed the priming event of `original`, and nothing of `other`. */
function expectOwnStreamOnly(replayed: SseEvent[], original: SseEvent[], other: SseEvent[]): void {
  expect(replayed.map((e) => e.id)).toEqual(original.slice(1).map((e) => e.id));
  expect(replayed.map((e) => e.data)).toEqual(original.slice(1).map((e) => e.data));
  const otherIds = new Set(other.map((e) => e.id));
  expect(original.filter((e) => otherIds.has(e.id))).toEqual([]);
}

describe('Last-Event-ID replays only the stream that was cut', () => {
  it('two instances sharing the session and event stores give their streams distinct ids', async () => {
    const server = new Switchboard({ name: 'shared', version: '1.0.0' });
    register(server);
    const stores = { sessionStore: new MemorySessionStore(), eventStore: new MemoryEventStore() };
    const handlerA = createNodeHandler(server, stores);
    const handlerB = createNodeHandler(server, stores);
    const a = await startNodeServer((req, res) => void handlerA(req, res));
    const b = await startNodeServer((req, res) => void handlerB(req, res));
    try {
      const session = await openLegacySession(a.url);
      const first = await streamedCall(a.url, session, 'on-a', [1, 2]);
      const second = await streamedCall(b.url, session, 'on-b', [7]);
      expect(first.at(-1)?.data).toMatchObject({ id: 'on-a', result: { content: [{ text: 'counted 1,2' }] } });
      expect(second.at(-1)?.data).toMatchObject({ id: 'on-b' });
      expectOwnStreamOnly(await resume(a.url, session, first[0]?.id as string), first, second);
      expectOwnStreamOnly(await resume(b.url, session, second[0]?.id as string), second, first);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a session whose runtime was dropped while idle (its store lives longer) starts new stream ids', async () => {
    const { url, close } = await startServer(register, {
      sessionIdleMs: 60_000,
      sessionStore: new MemorySessionStore({ idleTtlMs: 3_600_000 }),
    });
    try {
      const session = await openLegacySession(url);
      const first = await streamedCall(url, session, 'before', [1, 2]);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      // Another client's initialize sweeps runtimes idle past sessionIdleMs; the session itself is still stored.
      await openLegacySession(url);
      const second = await streamedCall(url, session, 'after', [7]);
      expect(second.at(-1)?.data).toMatchObject({ id: 'after', result: { content: [{ text: 'counted 7' }] } });
      expectOwnStreamOnly(await resume(url, session, first[0]?.id as string), first, second);
    } finally {
      vi.useRealTimers();
      await close();
    }
  });
});

describe('the event store is bounded in total size', () => {
  it('drops the least recently used stream first; a resume that needs dropped events gets 404, like an unknown id', async () => {
    const { url, close } = await startServer(register, { eventStore: new MemoryEventStore({ maxBytes: 64_000 }) });
    try {
      const session = await openLegacySession(url);
      const older = await streamedCall(url, session, 'older', [1], 5_000);
      const newer = await streamedCall(url, session, 'newer', [2], 60_000);
      const lost = await fetch(url, {
        headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'last-event-id': older[0]?.id as string },
      });
      expect(lost.status).toBe(404);
      expect(JSON.parse(await lost.text()).error.message).toContain('Last-Event-ID');
      expectOwnStreamOnly(await resume(url, session, newer[0]?.id as string), newer, older);
      expect(
        (await post(url, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }), legacyHeaders(session))).status,
      ).toBe(200);
    } finally {
      await close();
    }
  });
});
