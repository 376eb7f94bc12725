import { afterEach, describe, expect, it, vi } from 'vitest';
import { legacyHeaders, openLegacySession, post, startServer } from '../support/http.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('session expiry', () => {
  it('answers 404 once a session has been idle past sessionIdleMs, and a fresh initialize works', async () => {
    const { url, close } = await startServer((s) => s.tool('ping_tool', {}, () => 'pong'), { sessionIdleMs: 60_000 });
    try {
      const session = await openLegacySession(url);
      const call = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'ping_tool', arguments: {} },
      });
      expect((await post(url, call, legacyHeaders(session))).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      const expired = await post(url, call, legacyHeaders(session));
      expect(expired.status).toBe(404);
      expect(JSON.parse(await expired.text()).error.message).toContain('expired');
      const renewed = await openLegacySession(url);
      expect((await post(url, call, legacyHeaders(renewed))).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await close();
    }
  });
});
