import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Switchboard } from 'switchboard-mcp';
import type { AuthOutcome } from 'switchboard-mcp/http';
import { httpRateLimit, quota } from 'switchboard-mcp/quota';
import { afterEach, describe, expect, it } from 'vitest';
import { legacyHeaders, modernRequest, openLegacySession, post, startServer } from '../support/http.js';

/** Callers named by a `x-caller` header, so one test can be several principals. */
const byHeader = (request: { header(name: string): string | undefined }): AuthOutcome => {
  const subject = request.header('x-caller');
  return subject === undefined ? undefined : { subject, scopes: [], claims: {} };
};

function tools(server: Switchboard) {
  server.tool('echo', {}, () => 'echo');
  server.tool('report', {}, () => 'report');
}

/** A JSON-RPC reply, loosely typed for assertions. */
type Reply = { result: { isError?: boolean; content: { text: string }[] }; error: { message: string } };

const textOf = (result: unknown) => (result as { content: { text: string }[] }).content[0]?.text;

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('quota() middleware over HTTP', () => {
  it('refuses a tool call over its per-tool budget with an isError result saying when to retry (official v2 client, both eras)', async () => {
    const rejected: string[] = [];
    const started = await startServer((server) => {
      tools(server);
      server.use(
        quota({
          perTool: { report: { points: 2, durationSec: 60 } },
          onRejected: (r) => void rejected.push(`${r.budget}:${r.tool}`),
        }),
      );
    });
    stop = started.close;
    for (const mode of ['legacy', 'auto'] as const) {
      const client = new Client({ name: 'quota', version: '1' }, { versionNegotiation: { mode } });
      await client.connect(new StreamableHTTPClientTransport(new URL(started.url)));
      try {
        const results = [];
        for (let i = 0; i < 3; i++) results.push(await client.callTool({ name: 'report', arguments: {} }));
        // The budget is per caller and shared by both eras: the anonymous caller used two in the first round.
        const expectedOk = mode === 'legacy' ? 2 : 0;
        expect(results.filter((r) => !r.isError)).toHaveLength(expectedOk);
        const refused = results.find((r) => r.isError);
        expect(textOf(refused)).toMatch(
          /^Rate limit reached: the tool "report" allows 2 per 60 s\. Retry after \d+ seconds?\.$/,
        );
        // Another tool is not limited.
        expect((await client.callTool({ name: 'echo', arguments: {} })).isError).toBeFalsy();
      } finally {
        await client.close();
      }
    }
    expect(rejected).toContain('tool:report');
    expect(rejected).toHaveLength(4);
  });

  it('keeps each caller to its own budget and answers other methods 429 with Retry-After in both eras', async () => {
    const started = await startServer(
      (server) => {
        tools(server);
        server.use(quota({ perPrincipal: { points: 3, durationSec: 60 } }));
      },
      { authenticate: byHeader },
    );
    stop = started.close;
    const list = (id: number, caller: string) => {
      const { headers, body } = modernRequest(id, 'tools/list');
      return post(started.url, body, { ...headers, 'x-caller': caller });
    };
    for (let i = 0; i < 3; i++) expect((await list(i, 'ada')).status).toBe(200);
    const refused = await list(9, 'ada');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({
      id: 9,
      error: { code: -32029, data: { retryAfterSeconds: expect.any(Number) } },
    });
    // Grace is another caller: her budget is untouched.
    expect((await list(10, 'grace')).status).toBe(200);

    // 2025 era: initialize counts (notifications do not); two lists are left, then 429 (everyEra status).
    const headers = { 'x-caller': 'linus' };
    const session = await openLegacySession(started.url, {}, headers);
    const legacyList = (id: number) =>
      post(started.url, JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }), {
        ...legacyHeaders(session),
        ...headers,
      });
    const statuses = [(await legacyList(1)).status, (await legacyList(2)).status, (await legacyList(3)).status];
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('holds every caller to a global budget', async () => {
    const started = await startServer(
      (server) => {
        tools(server);
        server.use(quota({ global: { points: 2, durationSec: 60 } }));
      },
      { authenticate: byHeader },
    );
    stop = started.close;
    const call = (id: number, caller: string) => {
      const { headers, body } = modernRequest(id, 'tools/call', { name: 'echo', arguments: {} });
      return post(started.url, body, { ...headers, 'x-caller': caller }).then((r) => r.json() as Promise<Reply>);
    };
    expect((await call(1, 'a')).result.isError).toBeUndefined();
    expect((await call(2, 'b')).result.isError).toBeUndefined();
    const third = await call(3, 'c');
    expect(third.result.isError).toBe(true);
    expect(textOf(third.result)).toContain('the server-wide budget allows 2 per 60 s');
  });
});

describe('httpRateLimit() at the HTTP edge', () => {
  it('answers 429 with Retry-After before the body is read, per caller', async () => {
    let refusals = 0;
    const started = await startServer(tools, {
      authenticate: byHeader,
      admit: httpRateLimit({ points: 2, durationSec: 30, onRejected: (r) => void (r.budget === 'http' && refusals++) }),
    });
    stop = started.close;
    const send = (caller: string, body = modernRequest(1, 'tools/list').body) =>
      post(started.url, body, { ...modernRequest(1, 'tools/list').headers, 'x-caller': caller });
    expect((await send('ada')).status).toBe(200);
    expect((await send('ada')).status).toBe(200);
    // The third is refused even with a body that would not parse: the limit runs first.
    const refused = await send('ada', '{not json');
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(30);
    expect(((await refused.json()) as Reply).error.message).toMatch(
      /^Too Many Requests: 2 requests per 30 s; retry after \d+ seconds$/,
    );
    expect((await send('grace')).status).toBe(200);
    expect(refusals).toBe(1);
  });

  it('counts anonymous callers by X-Forwarded-For', async () => {
    const started = await startServer(tools, { admit: httpRateLimit({ points: 1, durationSec: 30 }) });
    stop = started.close;
    const { headers, body } = modernRequest(1, 'tools/list');
    const from = (ip: string) => post(started.url, body, { ...headers, 'x-forwarded-for': `${ip}, 10.0.0.1` });
    expect((await from('192.0.2.1')).status).toBe(200);
    expect((await from('192.0.2.1')).status).toBe(429);
    expect((await from('192.0.2.2')).status).toBe(200);
  });
});

describe('the admit hook', () => {
  it('answers 500 when the hook itself fails, and keeps serving', async () => {
    let fail = true;
    const started = await startServer(tools, {
      admit: () => {
        if (fail) throw new Error('limiter exploded');
        return undefined;
      },
    });
    stop = started.close;
    const { headers, body } = modernRequest(1, 'tools/list');
    const broken = await post(started.url, body, headers);
    expect(broken.status).toBe(500);
    expect(((await broken.json()) as Reply).error.message).toBe('Internal error while admitting the request');
    fail = false;
    expect((await post(started.url, body, headers)).status).toBe(200);
  });
});
