import { Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OutboundRequests } from '../../packages/switchboard/src/protocol/outbound-requests.js';
import { LEGACY, legacyHeaders, modernHeaders, modernMeta, openLegacySession, post } from '../support/http.js';

// Each bound on what a client can make the server keep, pushed past: a clear error, and nothing kept is lost.

const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
let url: string;
let close: () => Promise<void>;
let release: () => void = () => {};
let gate = Promise.resolve();
function closeGate() {
  gate = new Promise((resolve) => {
    release = resolve;
  });
}

beforeAll(async () => {
  const server = new Switchboard({
    name: 'limits',
    version: '1.0.0',
    limits: { maxSessionStateBytes: 1000, maxSubscriptionsPerSession: 2 },
    tasks: { maxActivePerPrincipal: 1, maxResultBytes: 200 },
  });
  server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  server.tool('gated', { task: 'optional' }, async () => {
    await gate;
    return 'opened';
  });
  server.tool('big', { task: 'optional' }, () => 'x'.repeat(500));
  for (const n of [1, 2, 3]) server.resource(`notes://${n}`, { name: `n${n}` }, () => `${n}`);
  const handle = await serve(server, { port: 0, maxSessions: 4, maxStreamsPerSession: 1 });
  url = handle.url;
  close = () => handle.close();
});
afterAll(() => close());

const legacyCall = (id: number, method: string, params: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

function initialize(capabilities: Record<string, unknown>) {
  return post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities, clientInfo: { name: 'c', version: '1' } },
    }),
    { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  );
}

async function json(response: Response) {
  return { status: response.status, reply: JSON.parse(await response.text()) };
}

describe('bounds on sessions and what they keep', () => {
  it('maxSessionStateBytes: an initialize carrying more opens no session and says why', async () => {
    const response = await initialize({ experimental: { pad: 'x'.repeat(2000) } });
    expect(response.headers.get('mcp-session-id')).toBeNull();
    const { reply } = await json(response);
    expect(reply.error.code).toBe(-32602);
    expect(reply.error.message).toMatch(/no session was opened.*at most 1000/);
    expect((await initialize({ experimental: { small: true } })).headers.get('mcp-session-id')).not.toBeNull();
  });

  it('maxSubscriptionsPerSession: one more is refused, those held stay', async () => {
    const session = await openLegacySession(url);
    for (const uri of ['notes://1', 'notes://2']) {
      expect(
        (await json(await post(url, legacyCall(2, 'resources/subscribe', { uri }), legacyHeaders(session)))).reply
          .result,
      ).toEqual({});
    }
    const refused = await json(
      await post(url, legacyCall(3, 'resources/subscribe', { uri: 'notes://3' }), legacyHeaders(session)),
    );
    expect(refused.reply.error).toMatchObject({ code: -32602, data: { limit: 2 } });
    // Subscribing again to one it holds is no new subscription.
    expect(
      (await json(await post(url, legacyCall(4, 'resources/subscribe', { uri: 'notes://1' }), legacyHeaders(session))))
        .reply.result,
    ).toEqual({});
    await post(url, legacyCall(5, 'resources/unsubscribe', { uri: 'notes://2' }), legacyHeaders(session));
    expect(
      (await json(await post(url, legacyCall(6, 'resources/subscribe', { uri: 'notes://3' }), legacyHeaders(session))))
        .reply.result,
    ).toEqual({});
  });

  it('maxSessionStateBytes also bounds subscribed URIs', async () => {
    const session = await openLegacySession(url);
    const uri = `notes://${'y'.repeat(1200)}`;
    const refused = await json(await post(url, legacyCall(7, 'resources/subscribe', { uri }), legacyHeaders(session)));
    expect(refused.reply.error.code).toBe(-32602);
    expect(refused.reply.error.message).toContain('the most kept is 1000');
  });

  it('maxStreamsPerSession: a request past it gets 429, the running one finishes', async () => {
    const session = await openLegacySession(url);
    closeGate();
    const running = post(url, legacyCall(8, 'tools/call', { name: 'gated', arguments: {} }), legacyHeaders(session));
    // Poll until the gated call is in flight: the next one is then past the bound.
    let refused: { status: number; reply: { error?: { code: number } } } | undefined;
    for (let i = 0; i < 100 && refused === undefined; i++) {
      const answer = await json(
        await post(
          url,
          legacyCall(9, 'tools/call', { name: 'add', arguments: { a: 1, b: 1 } }),
          legacyHeaders(session),
        ),
      );
      if (answer.status === 429) refused = answer;
    }
    expect(refused?.reply.error?.code).toBe(-32600);
    release();
    expect(await (await running).text()).toContain('opened');
    const after = await json(
      await post(url, legacyCall(10, 'tools/call', { name: 'add', arguments: { a: 1, b: 1 } }), legacyHeaders(session)),
    );
    expect(after.reply.result.content[0].text).toBe('2');
  });

  it('maxSessions: initialize past it gets 503 saying so, and the sessions held keep working', async () => {
    const held: string[] = [];
    for (;;) {
      const response = await initialize({});
      const id = response.headers.get('mcp-session-id');
      if (id === null) {
        const { status, reply } = await json(response);
        expect(status).toBe(503);
        expect(reply.error.message).toMatch(/no session was opened.*maximum of 4 sessions/);
        expect(response.headers.get('retry-after')).toBe('60');
        break;
      }
      held.push(id);
      await response.text();
      expect(held.length).toBeLessThanOrEqual(4);
    }
    for (const session of held) {
      const { reply } = await json(await post(url, legacyCall(11, 'tools/list', {}), legacyHeaders(session)));
      expect(reply.result.tools.length).toBeGreaterThan(0);
    }
  });
});

describe('bounds on tasks', () => {
  const call = (id: number, name: string) =>
    post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name, arguments: {}, _meta: modernMeta(TASKS) },
      }),
      modernHeaders('tools/call', name),
    );
  const get = async (taskId: string) =>
    (
      await json(
        await post(
          url,
          JSON.stringify({ jsonrpc: '2.0', id: 30, method: 'tasks/get', params: { taskId, _meta: modernMeta(TASKS) } }),
          modernHeaders('tasks/get', taskId),
        ),
      )
    ).reply.result;

  it('maxActivePerPrincipal: a task past it gets 429 -32600; the running one goes on', async () => {
    closeGate();
    const first = (await json(await call(20, 'gated'))).reply.result;
    expect(first.resultType).toBe('task');
    const second = await json(await call(21, 'gated'));
    expect(second.status).toBe(429);
    expect(second.reply.error).toMatchObject({ code: -32600, data: { limit: 1 } });
    expect((await get(first.taskId)).status).toBe('working');
    release();
    for (let i = 0; i < 200 && (await get(first.taskId)).status !== 'completed'; i++) await new Promise(setImmediate);
    expect((await get(first.taskId)).result.content[0].text).toBe('opened');
  });

  it('maxResultBytes: a result larger fails the task with a clear error', async () => {
    const task = (await json(await call(22, 'big'))).reply.result;
    let detailed = await get(task.taskId);
    for (let i = 0; i < 200 && detailed.status === 'working'; i++) detailed = await get(task.taskId);
    expect(detailed.status).toBe('failed');
    expect(detailed.error.message).toMatch(/at most 200 bytes per task result/);
  });
});

describe('pending server-to-client requests', () => {
  it('one question past the bound is refused; the ones waiting still get their answers', async () => {
    const outbound = new OutboundRequests(1);
    const written: string[] = [];
    const signal = new AbortController().signal;
    const first = outbound.send('roots/list', {}, signal, (m) => written.push(m));
    await expect(outbound.send('roots/list', {}, signal, (m) => written.push(m))).rejects.toThrow(
      /1 questions already wait/,
    );
    expect(written).toHaveLength(1);
    const { id } = JSON.parse(written[0] as string);
    expect(outbound.settle({ jsonrpc: '2.0', id, result: { roots: [] } })).toBe(true);
    expect(await first).toEqual({ roots: [] });
  });
});
