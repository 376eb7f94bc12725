import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RpcError, TestClient } from '../testing/index.js';
import type { Context } from './context.js';
import { Switchboard } from './switchboard.js';

function server() {
  const s = new Switchboard({ name: 'ctx', version: '1.0.0', stateSecret: 'test-secret-test-secret-test-secret' });
  s.tool('greet', {}, async (_args, ctx) => {
    const answer = await ctx.elicit('What is your name?', { name: z.string() });
    return answer.action === 'accept' ? `Hello, ${answer.content.name}` : `No name (${answer.action})`;
  });
  s.tool('two-questions', {}, async (_args, ctx) => {
    const [a, b] = await Promise.all([ctx.elicit('First?', { v: z.string() }), ctx.sample('Say hi')]);
    const first = a.action === 'accept' ? a.content.v : '-';
    return `${first} / ${(b.content as { text: string }).text}`;
  });
  s.tool('sequential', {}, async (_args, ctx) => {
    const a = await ctx.elicit('One?', { v: z.string() });
    const b = await ctx.elicit('Two?', { v: z.string() });
    return [a, b].map((x) => (x.action === 'accept' ? x.content.v : '-')).join('+');
  });
  s.tool('work', {}, (_args, ctx) => {
    ctx.progress(1, 2, 'half');
    ctx.log.debug('detail');
    ctx.log.warning('careful');
    return 'ok';
  });
  return s;
}

/** One raw MRTR round through the engine, as a client that stops at input_required would see it. */
async function firstRound(s: Switchboard, tool: string) {
  const reply = await s.engine.handleRequest(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: tool,
        arguments: {},
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': { elicitation: {}, sampling: {} },
        },
      },
    },
    { link: { notify() {}, request: undefined, signal: new AbortController().signal }, session: undefined },
  );
  return JSON.parse(reply.body).result;
}

const elicit = async (params: Record<string, unknown>) => ({
  action: 'accept',
  content: { name: 'Ada', v: String(params.message) },
});
const sample = async () => ({ role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'test-model' });

describe('elicitation and sampling, written once', () => {
  it.each(['modern', 'legacy'] as const)('completes an elicitation in the %s era', async (era) => {
    const client = new TestClient(server(), { era, elicit });
    expect(await client.callTool('greet')).toMatchObject({ content: [{ text: 'Hello, Ada' }] });
  });

  it('asks parallel questions in one MRTR round and sequential ones in successive rounds', async () => {
    const s = server();
    const rounds: string[][] = [];
    const client = new TestClient(s, {
      elicit: async (p) => {
        rounds.push([String(p.message)]);
        return { action: 'accept', content: { v: String(p.message) } };
      },
      sample,
    });
    expect(await client.callTool('two-questions')).toMatchObject({ content: [{ text: 'First? / hi' }] });
    expect(await client.callTool('sequential')).toMatchObject({ content: [{ text: 'One?+Two?' }] });
    expect(rounds).toEqual([['First?'], ['One?'], ['Two?']]);
  });

  it('returns input_required naming each request, with signed requestState, to a modern client', async () => {
    const reply = await firstRound(server(), 'two-questions');
    expect(reply.resultType).toBe('input_required');
    expect(Object.keys(reply.inputRequests)).toEqual(['elicit-1', 'sample-1']);
    expect(reply.inputRequests['elicit-1']).toMatchObject({
      method: 'elicitation/create',
      params: { message: 'First?' },
    });
    expect(reply.requestState).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(reply).not.toHaveProperty('ttlMs');
  });

  it('rejects tampered or foreign requestState with -32602', async () => {
    const s = server();
    const client = new TestClient(s, { capabilities: { elicitation: {} } });
    const state = (await firstRound(s, 'sequential')).requestState as string;
    const tampered = `${state.slice(0, -2)}${state.endsWith('A') ? 'B' : 'A'}A`;
    await expect(
      client.request('tools/call', { name: 'sequential', arguments: {}, requestState: tampered }),
    ).rejects.toMatchObject({ rpcCode: -32602 });
    await expect(
      client.request('tools/call', { name: 'greet', arguments: {}, requestState: state }),
    ).rejects.toMatchObject({
      rpcCode: -32602,
      message: expect.stringContaining('different request'),
    });
    const otherServer = new Switchboard({
      name: 'ctx',
      version: '1.0.0',
      stateSecret: 'another-secret-another-secret-another',
    });
    otherServer.tool('sequential', {}, () => 'x');
    await expect(
      new TestClient(otherServer).request('tools/call', { name: 'sequential', arguments: {}, requestState: state }),
    ).rejects.toBeInstanceOf(RpcError);
  });

  it('refuses a short stateSecret and verifies state signed with any of several secrets while signing with the first', async () => {
    expect(() => new Switchboard({ name: 'ctx', version: '1.0.0', stateSecret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => new Switchboard({ name: 'ctx', version: '1.0.0', stateSecret: [] })).toThrow(/at least one/);
    const oldSecret = 'old-secret-old-secret-old-secret-old';
    const newSecret = 'new-secret-new-secret-new-secret-new';
    const withSecret = (stateSecret: string | string[]) => {
      const s = new Switchboard({ name: 'ctx', version: '1.0.0', stateSecret });
      s.tool('sequential', {}, async (_args, ctx) => {
        await ctx.elicit('One?', { v: z.string() });
        return 'x';
      });
      return s;
    };
    const issuedBefore = (await firstRound(withSecret(oldSecret), 'sequential')).requestState as string;
    const rotated = withSecret([newSecret, oldSecret]);
    const issuedAfter = (await firstRound(rotated, 'sequential')).requestState as string;
    const answer = { 'elicit-1': { action: 'accept', content: { v: 'y' } } };
    const retry = (s: Switchboard, requestState: string) =>
      new TestClient(s, { capabilities: { elicitation: {} } }).request('tools/call', {
        name: 'sequential',
        arguments: {},
        requestState,
        inputResponses: answer,
      });
    // Both the old state and the new one open on the rotated server; only the old secret's server rejects the new.
    await expect(retry(rotated, issuedBefore)).resolves.toMatchObject({ content: [{ text: 'x' }] });
    await expect(retry(rotated, issuedAfter)).resolves.toMatchObject({ content: [{ text: 'x' }] });
    await expect(retry(withSecret(oldSecret), issuedAfter)).rejects.toMatchObject({ rpcCode: -32602 });
    await expect(retry(withSecret(newSecret), issuedAfter)).resolves.toMatchObject({ content: [{ text: 'x' }] });
  });

  it('answers -32021 when a modern client lacks the capability the tool needs', async () => {
    const client = new TestClient(server(), { capabilities: {} });
    await expect(client.callTool('greet')).rejects.toMatchObject({
      rpcCode: -32021,
      data: { requiredCapabilities: { elicitation: {} } },
    });
  });

  it('tells the model, in a legacy session without the capability, that input is unavailable', async () => {
    const result = await new TestClient(server(), { era: 'legacy', capabilities: {} }).callTool('greet');
    expect(result).toMatchObject({
      isError: true,
      content: [{ text: expect.stringContaining('does not support elicitation/create') }],
    });
  });
});

describe('progress and logging', () => {
  it('sends progress only when the request carries a progress token', async () => {
    const client = new TestClient(server());
    await client.callTool('work');
    expect(client.notifications.filter((n) => n.method === 'notifications/progress')).toHaveLength(0);
    await client.request('tools/call', { name: 'work', arguments: {}, _meta: { progressToken: 'p1' } });
    expect(client.notifications).toContainEqual({
      method: 'notifications/progress',
      params: { progressToken: 'p1', progress: 1, total: 2, message: 'half' },
    });
  });

  it('modern: sends no log messages unless the request names a level, then filters by it', async () => {
    const silent = new TestClient(server());
    await silent.callTool('work');
    expect(silent.notifications.filter((n) => n.method === 'notifications/message')).toHaveLength(0);
    const warned = new TestClient(server(), { logLevel: 'info' });
    await warned.callTool('work');
    expect(warned.notifications.filter((n) => n.method === 'notifications/message').map((n) => n.params.level)).toEqual(
      ['warning'],
    );
  });

  it('legacy: sends every level until logging/setLevel narrows it', async () => {
    const client = new TestClient(server(), { era: 'legacy' });
    await client.callTool('work');
    expect(client.notifications.filter((n) => n.method === 'notifications/message')).toHaveLength(2);
    await client.request('logging/setLevel', { level: 'error' });
    await client.callTool('work');
    expect(client.notifications.filter((n) => n.method === 'notifications/message')).toHaveLength(2);
  });
});

describe.each(['modern', 'legacy'] as const)('after the response, %s era', (era) => {
  it('sends no progress or log message once the request is answered, and refuses a late question', async () => {
    const s = new Switchboard({ name: 'late', version: '1.0.0' });
    let kept: Context | undefined;
    s.tool('quick', {}, (_args, ctx) => {
      kept = ctx;
      ctx.progress(1, 2);
      return 'done';
    });
    const client = new TestClient(s, { era, logLevel: 'debug', elicit: () => ({ action: 'accept', content: {} }) });
    const seen: number[] = [];
    await client.callTool('quick', {}, { onProgress: (update) => seen.push(update.progress) });
    // The handler's context outlives the call (a stray timer would hold it the same way).
    kept?.progress(2, 2);
    kept?.log.error('too late');
    await expect(kept?.elicit('Too late?', { ok: z.boolean() })).rejects.toThrow(
      'elicitation/create was asked after the request was answered',
    );
    expect(seen).toEqual([1]);
    expect(client.notifications.filter((n) => n.method === 'notifications/message')).toEqual([]);
  });

  it('drops progress that does not increase', async () => {
    const s = new Switchboard({ name: 'progress', version: '1.0.0' });
    s.tool('jumpy', {}, (_args, ctx) => {
      for (const value of [1, 5, 3, 5, 11]) ctx.progress(value, 10);
      return 'ok';
    });
    const seen: number[] = [];
    await new TestClient(s, { era }).callTool('jumpy', {}, { onProgress: (update) => seen.push(update.progress) });
    expect(seen).toEqual([1, 5, 11]);
  });
});

describe('2025-era answers to server-to-client requests', () => {
  it('checks the shape of the answer and tells the model when it is malformed', async () => {
    const client = new TestClient(server(), { era: 'legacy', elicit: () => ({ bogus: true }) });
    const result = await client.callTool('greet');
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(
      /^The client's answer to elicitation\/create was malformed: .*action/s,
    );
  });
});
