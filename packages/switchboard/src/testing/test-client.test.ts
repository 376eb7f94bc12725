import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Switchboard } from '../server/switchboard.js';
import type { ProgressUpdate } from './index.js';
import { RpcError, TestClient } from './index.js';

const eras = ['modern', 'legacy'] as const;

/** A promise with its resolver, to hold a handler at a known point. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

describe('cancellation', () => {
  it.each(eras)('aborts the handler signal, rejects the call and drops what follows (%s)', async (era) => {
    const server = new Switchboard({ name: 't', version: '1' });
    const started = deferred();
    const finished = deferred<boolean>();
    server.tool('slow', {}, async (_args, ctx) => {
      ctx.progress(1, 2);
      started.resolve();
      await untilAborted(ctx.signal);
      finished.resolve(ctx.signal.aborted);
      ctx.progress(2, 2);
      ctx.log.info('after cancel');
      return 'too late';
    });
    const client = new TestClient(server, { era, logLevel: 'debug' });
    const controller = new AbortController();
    const updates: number[] = [];
    const call = client.callTool(
      'slow',
      {},
      { signal: controller.signal, onProgress: (p) => updates.push(p.progress) },
    );
    await started.promise;
    controller.abort(new Error('user gave up'));
    await expect(call).rejects.toThrow('user gave up');
    expect(await finished.promise).toBe(true);
    expect(updates).toEqual([1]);
    expect(client.notifications.map((n) => n.method)).toEqual(['notifications/progress']);
    expect(await client.callTool('slow', {}, { signal: AbortSignal.abort() }).catch((e: Error) => e.name)).toBe(
      'AbortError',
    );
  });

  it('does not run the handler at all when the signal is already aborted', async () => {
    const server = new Switchboard({ name: 't', version: '1' });
    let runs = 0;
    server.tool('count', {}, () => String(++runs));
    const client = new TestClient(server);
    await expect(client.callTool('count', {}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(runs).toBe(0);
    expect(await client.callTool('count')).toMatchObject({ content: [{ text: '1' }] });
  });

  it('legacy: cancelling also fails the question the handler is waiting on', async () => {
    const server = new Switchboard({ name: 't', version: '1' });
    const outcome = deferred<string>();
    const asked = deferred();
    server.tool('ask', {}, async (_args, ctx) => {
      try {
        await ctx.elicit('Name?', { name: z.string() });
        outcome.resolve('answered');
      } catch (error) {
        outcome.resolve(`failed: ${(error as Error).message}`);
      }
      return 'done';
    });
    const client = new TestClient(server, {
      era: 'legacy',
      elicit: () => {
        asked.resolve();
        return new Promise(() => {});
      },
    });
    const controller = new AbortController();
    const call = client.callTool('ask', {}, { signal: controller.signal });
    await asked.promise;
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(await outcome.promise).toBe('failed: elicitation/create was cancelled');
  });

  it('close() cancels requests still running', async () => {
    const server = new Switchboard({ name: 't', version: '1' });
    const started = deferred();
    let aborted = false;
    server.tool('wait', {}, async (_args, ctx) => {
      started.resolve();
      await untilAborted(ctx.signal);
      aborted = ctx.signal.aborted;
      return 'late';
    });
    const client = new TestClient(server, { era: 'legacy' });
    const call = client.callTool('wait');
    await started.promise;
    client.close();
    await expect(call).rejects.toThrow('tools/call was cancelled');
    expect(aborted).toBe(true);
  });
});

describe('progress', () => {
  function server() {
    const s = new Switchboard({ name: 't', version: '1', stateSecret: 'secret-secret-secret-secret-secret-secret' });
    s.tool('steps', { input: { n: z.number() } }, ({ n }, ctx) => {
      for (let i = 1; i <= n; i++) ctx.progress(i, n, `step ${i}`);
      return String(ctx.progressToken);
    });
    s.tool('ask_then_work', {}, async (_args, ctx) => {
      ctx.progress(1);
      const answer = await ctx.elicit('Go?', { go: z.boolean() });
      ctx.progress(2);
      return answer.action;
    });
    return s;
  }

  it.each(eras)('sets a progress token and delivers updates in order (%s)', async (era) => {
    const client = new TestClient(server(), { era });
    const updates: ProgressUpdate[] = [];
    const result = await client.callTool('steps', { n: 3 }, { onProgress: (p) => updates.push(p) });
    const [block] = result.content;
    const token = block?.type === 'text' ? block.text : '';
    expect(token).not.toBe('undefined');
    expect(updates).toEqual(
      [1, 2, 3].map((i) => ({ progressToken: token, progress: i, total: 3, message: `step ${i}` })),
    );
    expect(client.notifications.filter((n) => n.method === 'notifications/progress')).toHaveLength(3);
  });

  it('asks for no progress without onProgress', async () => {
    const client = new TestClient(server());
    expect(await client.callTool('steps', { n: 2 })).toMatchObject({ content: [{ text: 'undefined' }] });
    expect(client.notifications).toEqual([]);
  });

  it('keeps concurrent calls apart', async () => {
    const client = new TestClient(server(), { era: 'legacy' });
    await client.connect();
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([
      client.callTool('steps', { n: 2 }, { onProgress: (p) => a.push(p.progress) }),
      client.callTool('steps', { n: 4 }, { onProgress: (p) => b.push(p.progress) }),
    ]);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2, 3, 4]);
  });

  it('modern: keeps one progress token across MRTR rounds', async () => {
    const client = new TestClient(server(), { elicit: () => ({ action: 'accept', content: { go: true } }) });
    const updates: ProgressUpdate[] = [];
    const result = await client.callTool('ask_then_work', {}, { onProgress: (p) => updates.push(p) });
    expect(result).toMatchObject({ content: [{ text: 'accept' }] });
    // Round one reports 1 and stops for input; round two reports 1 again, then 2.
    expect(updates.map((u) => u.progress)).toEqual([1, 1, 2]);
    expect(new Set(updates.map((u) => u.progressToken)).size).toBe(1);
  });
});

describe('list, read, prompt and completion helpers', () => {
  function server() {
    const s = new Switchboard({ name: 't', version: '1', pageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) s.tool(name, {}, () => name);
    for (const name of ['r1', 'r2', 'r3']) s.resource(`mem://${name}`, { name }, () => `body of ${name}`);
    s.resourceTemplate(
      'mem://items/{id}',
      {
        name: 'item',
        list: () => [{ uri: 'mem://items/1', name: 'Item 1' }],
        complete: { id: (typed) => ['1', '10', '2'].filter((id) => id.startsWith(typed)) },
      },
      (_uri, { id }) => `item ${id}`,
    );
    for (const name of ['t1', 't2', 't3']) s.resourceTemplate(`mem://${name}/{x}`, { name }, () => name);
    for (const name of ['p1', 'p2', 'p3']) {
      s.prompt(name, { args: { tone: z.enum(['dry', 'warm']) } }, ({ tone }) => `${name} in a ${tone} tone`);
    }
    return s;
  }

  it.each(eras)('follows every page when no cursor is given (%s)', async (era) => {
    const client = new TestClient(server(), { era });
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tools.nextCursor).toBeUndefined();
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual([
      'mem://r1',
      'mem://r2',
      'mem://r3',
      'mem://items/1',
    ]);
    expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.name)).toEqual([
      'item',
      't1',
      't2',
      't3',
    ]);
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['p1', 'p2', 'p3']);
  });

  it('returns just the page asked for with a cursor', async () => {
    const client = new TestClient(server());
    const first = await client.request('tools/list');
    expect((first.tools as unknown[]).length).toBe(2);
    const second = await client.listTools({ cursor: String(first.nextCursor) });
    expect(second.tools.map((t) => t.name)).toEqual(['c', 'd']);
    expect(second.nextCursor).toEqual(expect.any(String));
    await expect(client.listTools({ cursor: 'forged' })).rejects.toMatchObject({ rpcCode: -32602 });
  });

  it.each(eras)('reads resources, gets prompts and completes arguments (%s)', async (era) => {
    const client = new TestClient(server(), { era });
    expect((await client.readResource('mem://items/7')).contents).toEqual([{ uri: 'mem://items/7', text: 'item 7' }]);
    expect(await client.getPrompt('p2', { tone: 'warm' })).toMatchObject({
      messages: [{ role: 'user', content: { type: 'text', text: 'p2 in a warm tone' } }],
    });
    const ids = await client.complete({
      ref: { type: 'ref/resource', uri: 'mem://items/{id}' },
      argument: { name: 'id', value: '1' },
    });
    expect(ids.completion.values).toEqual(['1', '10']);
    const tones = await client.complete({
      ref: { type: 'ref/prompt', name: 'p1' },
      argument: { name: 'tone', value: 'w' },
    });
    expect(tones.completion.values).toEqual(['warm']);
    await expect(client.readResource('mem://nothing')).rejects.toBeInstanceOf(RpcError);
  });

  it('setLoggingLevel narrows legacy log messages; the modern era has no such method', async () => {
    const s = new Switchboard({ name: 't', version: '1' });
    s.tool('noisy', {}, (_args, ctx) => {
      ctx.log.debug('detail');
      ctx.log.error('broken');
      return 'ok';
    });
    const legacy = new TestClient(s, { era: 'legacy' });
    await legacy.setLoggingLevel('error');
    await legacy.callTool('noisy');
    expect(legacy.notifications.map((n) => n.params.level)).toEqual(['error']);
    await expect(new TestClient(s).setLoggingLevel('error')).rejects.toMatchObject({ rpcCode: -32601 });
  });
});

describe('change notifications', () => {
  function server() {
    const s = new Switchboard({ name: 't', version: '1' });
    s.resource('mem://config', { name: 'config' }, () => '{}');
    return s;
  }

  it('legacy: records list changes made at run time once connected', async () => {
    const s = server();
    const client = new TestClient(s, { era: 'legacy' });
    s.tool('before_connect', {}, () => 'x');
    expect(client.notifications).toEqual([]);
    await client.connect();
    const tool = s.tool('added', {}, () => 'x');
    s.resource('mem://added', { name: 'added' }, () => 'x');
    s.prompt('added', {}, () => 'x');
    tool.disable();
    expect(client.notifications.map((n) => n.method)).toEqual([
      'notifications/tools/list_changed',
      'notifications/resources/list_changed',
      'notifications/prompts/list_changed',
      'notifications/tools/list_changed',
    ]);
    client.close();
    s.tool('after_close', {}, () => 'x');
    expect(client.notifications).toHaveLength(4);
  });

  it('legacy: records resource updates only for subscribed URIs', async () => {
    const s = server();
    const client = new TestClient(s, { era: 'legacy' });
    await client.connect();
    s.notifyResourceUpdated('mem://config');
    await client.subscribeResource('mem://config');
    s.notifyResourceUpdated('mem://other');
    s.notifyResourceUpdated('mem://config');
    await client.unsubscribeResource('mem://config');
    s.notifyResourceUpdated('mem://config');
    expect(client.notifications).toEqual([
      { method: 'notifications/resources/updated', params: { uri: 'mem://config' } },
    ]);
  });

  it('modern: records nothing unasked, and what the listen filter names while subscribed', async () => {
    const s = server();
    const client = new TestClient(s);
    s.tool('unheard', {}, () => 'x');
    expect(client.notifications).toEqual([]);
    const subscription = await client.listen({ toolsListChanged: true, resourceSubscriptions: ['mem://config'] });
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true, resourceSubscriptions: ['mem://config'] });
    s.tool('heard', {}, () => 'x');
    s.prompt('not_in_filter', {}, () => 'x');
    s.notifyResourceUpdated('mem://config');
    subscription.close();
    expect(await subscription.closed).toBe('local');
    s.tool('after_close', {}, () => 'x');
    expect(client.notifications.map((n) => n.method)).toEqual([
      'notifications/subscriptions/acknowledged',
      'notifications/tools/list_changed',
      'notifications/resources/updated',
    ]);
    expect(client.notifications[2]?.params).toMatchObject({ uri: 'mem://config' });
  });

  it('modern: a subscription ends gracefully when the server closes; legacy has no listen', async () => {
    const s = server();
    const subscription = await new TestClient(s).listen({ toolsListChanged: true });
    s.close();
    expect(await subscription.closed).toBe('graceful');
    await expect(new TestClient(server(), { era: 'legacy' }).listen({})).rejects.toMatchObject({ rpcCode: -32601 });
  });
});
