import type { SessionStore } from 'switchboard-mcp';
import { MemoryBus, MemoryEventStore, MemorySessionStore, Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterEach, describe, expect, it } from 'vitest';

import { legacyHeaders, openLegacySession, post, readSse } from '../support/http.js';

/** Hands out copies, as Redis does: an instance sees another's change only by reading the store again. */
type LegacySessionState = NonNullable<ReturnType<MemorySessionStore['get']>>;

class CopyingSessionStore implements SessionStore {
  readonly #inner = new MemorySessionStore();
  create(id: string, state: LegacySessionState) {
    this.#inner.create(id, structuredClone(state));
  }
  get(id: string) {
    const state = this.#inner.get(id);
    return state === undefined ? undefined : structuredClone(state);
  }
  save(id: string, state: LegacySessionState) {
    this.#inner.save(id, structuredClone(state));
  }
  delete(id: string) {
    this.#inner.delete(id);
  }
}

/**
 * Two endpoints sharing one session store, event store and bus: what two instances behind a load balancer share
 * through Redis, here in one process so each step can pick its instance.
 */
async function twoInstances() {
  const bus = new MemoryBus();
  const sessionStore = new CopyingSessionStore();
  const eventStore = new MemoryEventStore();
  const cancelled: string[] = [];
  const make = async (name: string) => {
    const server = new Switchboard({ name, version: '1.0.0', bus });
    server.tool('wait', { description: 'Waits until cancelled' }, async (_args, ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      cancelled.push(name);
      return 'stopped';
    });
    server.resource('memo://a', { name: 'memo' }, () => 'memo');
    const handle = await serve(server, { port: 0, sessionStore, eventStore });
    return { server, handle };
  };
  return { a: await make('a'), b: await make('b'), cancelled };
}

let handles: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  handles = [];
});

describe('2025-era sessions across instances', () => {
  it('routes a notifications/cancelled posted to another instance to the one running the call', async () => {
    const { a, b, cancelled } = await twoInstances();
    handles = [a.handle, b.handle];
    const session = await openLegacySession(a.handle.url);
    const call = post(
      a.handle.url,
      JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'wait', arguments: {} } }),
      legacyHeaders(session),
      AbortSignal.timeout(10_000),
    );
    // Until a's session runtime counts the call, no instance holds it and the cancellation is refused with 409;
    // once it does, b relays the cancellation to a, which takes it, and only then answers 202.
    await expect
      .poll(async () => {
        const response = await post(
          b.handle.url,
          JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 5 } }),
          legacyHeaders(session),
        );
        expect([202, 409]).toContain(response.status);
        return response.status;
      })
      .toBe(202);
    expect(cancelled).toEqual(['a']);
    await (await call).body?.cancel();
  });

  it('honours a subscription made through one instance on a GET stream held by another', async () => {
    const { a, b } = await twoInstances();
    handles = [a.handle, b.handle];
    const session = await openLegacySession(a.handle.url);
    const stream = await fetch(a.handle.url, {
      headers: { ...legacyHeaders(session), accept: 'text/event-stream' },
      signal: AbortSignal.timeout(10_000),
    });
    expect(stream.status).toBe(200);
    const subscribed = await post(
      b.handle.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: 'memo://a' } }),
      legacyHeaders(session),
    );
    expect(subscribed.status).toBe(200);
    await subscribed.text();
    const events = readSse(stream);
    await b.server.notifyResourceUpdated('memo://a');
    for (;;) {
      const { value } = await events.next();
      if (value?.data === undefined) continue;
      expect(value.data).toMatchObject({ method: 'notifications/resources/updated', params: { uri: 'memo://a' } });
      break;
    }
    await events.return(undefined);
  });
});
