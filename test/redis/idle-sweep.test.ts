/**
 * A 2025 GET stream opened on instance A and resumed on instance B keeps its session alive on A: A's idle sweep
 * sees no use of the session itself, but the shared session store records B's, so A keeps the runtime that writes
 * the stream instead of ending it under the client. The clock (Date only) jumps past the idle limit; the sweep runs
 * on A's next initialize. A session the store has forgotten (no instance used it) is still dropped.
 */
import { randomBytes } from 'node:crypto';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { connectRedis, redis } from 'switchboard-mcp/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../support/free-port.js';
import { legacyHeaders, openLegacySession, readSse } from '../support/http.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { redisUrl } from '../support/services.js';

const url = redisUrl();
const IDLE_MS = 60_000;

describe.skipIf(url === undefined)('the idle sweep of a session whose GET stream is followed elsewhere', () => {
  const prefix = `sbsweep:${randomBytes(4).toString('hex')}:`;
  const servers: Switchboard[] = [];
  const handles: HttpServerHandle[] = [];
  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      const server = new Switchboard({
        name,
        version: '1.0.0',
        stores: redis(url as string, { prefix, sessionIdleMs: IDLE_MS }),
      });
      servers.push(server);
      handles.push(await serve(server, { port: 0, sessionIdleMs: IDLE_MS }));
    }
  });
  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    const cleaner = await connectRedis(url as string, { name: 'idle-sweep-cleanup' });
    await deleteKeysUnder(cleaner, prefix);
    cleaner.disconnect();
  });

  it('counts the use through the other instance and keeps the stream open', async () => {
    const [a, b] = handles as [HttpServerHandle, HttpServerHandle];
    const session = await openLegacySession(a.url);
    const cut = new AbortController();
    const standalone = await fetch(a.url, {
      headers: { ...legacyHeaders(session), accept: 'text/event-stream' },
      signal: cut.signal,
    });
    const prime = (await readSse(standalone).next()).value;
    cut.abort();
    const leave = new AbortController();
    const resumed = await fetch(b.url, {
      headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'last-event-id': prime?.id as string },
      signal: leave.signal,
    });
    expect(resumed.status).toBe(200);
    const events = readSse(resumed);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * IDLE_MS);
    // Another client's initialize on A runs A's sweep, where the session has seen no request since its GET.
    await openLegacySession(a.url);
    await servers[0]?.notifyResourceListChanged();
    const next = await events.next();
    expect(next.done).toBe(false);
    expect(next.value?.data).toMatchObject({ method: 'notifications/resources/list_changed' });
    leave.abort();
  });

  it('still drops a session used nowhere once the shared store has forgotten it', async () => {
    const [a] = handles as [HttpServerHandle];
    const session = await openLegacySession(a.url);
    const cut = new AbortController();
    const standalone = await fetch(a.url, {
      headers: { ...legacyHeaders(session), accept: 'text/event-stream' },
      signal: cut.signal,
    });
    await readSse(standalone).next();
    cut.abort();
    // Redis expires the idle session, as it would once sessionIdleMs passed with no instance using it.
    const observer = await connectRedis(url as string, { name: 'idle-sweep-test' });
    try {
      await observer.pexpire(`${prefix}session:${session}`, 1);
      await waitFor(
        'Redis to expire the session',
        async () => (await observer.exists(`${prefix}session:${session}`)) === 0,
      );
    } finally {
      observer.disconnect();
    }
    const before = a.stats().sessions;
    // Past the previous case's jump too, so A's sweep is due again.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * IDLE_MS);
    await openLegacySession(a.url);
    // The forgotten session's runtime went; the new session's came; every other one is still in the store.
    expect(a.stats().sessions).toBe(before);
  });
});
