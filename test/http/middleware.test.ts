import { onNotification, ProtocolError, Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { captureLogs } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY, legacyHeaders, modernRequest, openLegacySession, post, startServer } from '../support/http.js';

/** The shape of a rate limit over HTTP: a 429 with Retry-After in both eras. */
const limited = new ProtocolError(-32029, 'Rate limit exceeded: retry in 7 s', { retryAfterSeconds: 7 }, 429, {
  headers: { 'retry-after': '7' },
  everyEra: true,
});

describe('middleware over Streamable HTTP', () => {
  let url: string;
  let close: () => Promise<void>;
  const methods: string[] = [];
  beforeAll(async () => {
    ({ url, close } = await startServer((server) => {
      server.tool('echo', {}, () => 'echo');
      server.tool('busy', {}, () => 'never');
      server.use(async (call, next) => {
        methods.push(`${call.era}:${call.method}`);
        if (call.target?.kind === 'tool' && call.target.name === 'busy') throw limited;
        return next();
      });
    }));
  });
  afterAll(() => close());

  it('wraps 2026-07-28 requests and can answer 429 with Retry-After', async () => {
    const ok = modernRequest(1, 'tools/call', { name: 'echo', arguments: {} });
    expect((await post(url, ok.body, ok.headers)).status).toBe(200);
    const busy = modernRequest(2, 'tools/call', { name: 'busy', arguments: {} });
    const response = await post(url, busy.body, busy.headers);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ id: 2, error: { code: -32029, data: { retryAfterSeconds: 7 } } });
    expect(methods).toContain('modern:tools/call');
  });

  it('wraps 2025-era session requests, initialize included, with the same status', async () => {
    const session = await openLegacySession(url);
    expect(methods).toContain('legacy:initialize');
    const body = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'busy' } });
    const response = await post(url, body, legacyHeaders(session));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('mcp-protocol-version') ?? LEGACY).toBe(LEGACY);
  });
});

describe('onNotification over Streamable HTTP', () => {
  it('sees notifications POSTed in a 2025-era session and by 2026-07-28 clients', async () => {
    const seen: string[] = [];
    const { url, close } = await startServer((server) => {
      server.use(onNotification((notification, caller) => void seen.push(`${caller.era}:${notification.method}`)));
    });
    try {
      await openLegacySession(url);
      const { headers } = modernRequest(1, 'tools/list');
      const modern = JSON.stringify({
        jsonrpc: '2.0',
        method: 'notifications/roots/list_changed',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
      });
      expect((await post(url, modern, headers)).status).toBe(202);
      expect(seen).toEqual(['legacy:notifications/initialized', 'modern:notifications/roots/list_changed']);
    } finally {
      await close();
    }
  });

  it('never hands a hook a notification nested deeper than requests may be', async () => {
    const seen: string[] = [];
    const logs = captureLogs();
    const server = new Switchboard({ name: 'deep', version: '1.0.0', logger: logs.logger });
    server.use(onNotification((notification) => void seen.push(notification.method)));
    const handle = await serve(server, { port: 0 });
    const { url } = handle;
    const close = () => handle.close();
    try {
      const { headers } = modernRequest(1, 'tools/list');
      let deep: unknown = 'bottom';
      for (let i = 0; i < 200; i++) deep = [deep];
      const message = (extra: unknown) =>
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'notifications/roots/list_changed',
          params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }, extra },
        });
      expect((await post(url, message(deep), headers)).status).toBe(202);
      expect((await post(url, message('shallow'), headers)).status).toBe(202);
      expect(seen).toEqual(['notifications/roots/list_changed']);
      expect(logs.lines.some((line) => String(line.msg).includes('deeper than 64: dropped'))).toBe(true);
    } finally {
      await close();
    }
  });
});
