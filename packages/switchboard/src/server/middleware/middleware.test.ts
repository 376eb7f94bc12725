import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, ProtocolError, ToolError } from '../../protocol/errors.js';
import { captureLogs } from '../../testing/capture-logs.js';
import { RpcError, TestClient } from '../../testing/test-client.js';
import { Switchboard } from '../switchboard.js';
import { onCallTool, onGetPrompt, onList, onNotification, onReadResource } from './helpers.js';
import type { MiddlewareCall, Target } from './types.js';

const eras = ['modern', 'legacy'] as const;

function newServer(logger = captureLogs().logger): Switchboard {
  const server = new Switchboard({ name: 'mw', version: '1', logger });
  server.tool(
    'echo',
    { input: { text: z.string() }, scopes: ['notes:read'], annotations: { readOnlyHint: true } },
    ({ text }, ctx) => `${text} ${JSON.stringify(ctx.state)}`,
  );
  server.resource('memo://today', { scopes: ['notes:read'] }, () => 'today');
  server.resourceTemplate(
    'memo://day/{date}',
    { name: 'day', scopes: ['notes:archive'] },
    (_uri, { date }) => `day ${date}`,
  );
  server.prompt('summarise', { args: { topic: z.string() } }, ({ topic }) => `Summarise ${topic}`);
  return server;
}

describe.each(eras)('middleware (%s)', (era) => {
  it('runs in registration order around the handler and shares state with it', async () => {
    const server = newServer();
    const seen: string[] = [];
    server
      .use(async (call, next) => {
        seen.push(`a>${call.method}`);
        call.state.traced = 'yes';
        const result = await next();
        seen.push('a<');
        return result;
      })
      .use(async (call, next) => {
        seen.push(`b>${call.era}`);
        const result = await next();
        seen.push('b<');
        return result;
      });
    const client = new TestClient(server, { era });
    const result = await client.callTool('echo', { text: 'hi' });
    expect(result.content).toEqual([{ type: 'text', text: 'hi {"traced":"yes"}' }]);
    expect(seen.slice(-4)).toEqual([`a>tools/call`, `b>${era}`, 'b<', 'a<']);
  });

  it('names the caller and the target of each request', async () => {
    const server = newServer();
    const targets: [string, Target | undefined][] = [];
    let caller: MiddlewareCall['auth'] | undefined;
    server.use(async (call, next) => {
      targets.push([call.method, call.target]);
      caller = call.auth;
      return next();
    });
    const auth = { subject: 'alice', scopes: ['notes:read'], claims: { sub: 'alice' } };
    const client = new TestClient(server, { era, auth });
    await client.callTool('echo', { text: 'x' });
    await client.readResource('memo://today');
    await client.readResource('memo://day/2026-12-01');
    await client.getPrompt('summarise', { topic: 'q4' });
    await client.callTool('nope', {}).catch(() => undefined);
    expect(caller).toEqual(auth);
    const byMethod = targets.filter(([method]) => method !== 'initialize');
    expect(byMethod).toEqual([
      [
        'tools/call',
        { kind: 'tool', name: 'echo', scopes: ['notes:read'], annotations: { readOnlyHint: true }, meta: undefined },
      ],
      ['resources/read', { kind: 'resource', uri: 'memo://today', uriTemplate: undefined, scopes: ['notes:read'] }],
      [
        'resources/read',
        { kind: 'resource', uri: 'memo://day/2026-12-01', uriTemplate: 'memo://day/{date}', scopes: ['notes:archive'] },
      ],
      ['prompts/get', { kind: 'prompt', name: 'summarise', scopes: [] }],
      ['tools/call', undefined],
    ]);
  });

  it('may answer without calling next, or change what next returned', async () => {
    const server = newServer();
    server.use(
      onCallTool(async (call, next) => {
        if (call.arguments.text === 'cached') return { content: [{ type: 'text', text: 'from cache' }] };
        const result = await next();
        return { ...result, _meta: { 'example.com/audited': true } };
      }),
    );
    const client = new TestClient(server, { era });
    expect((await client.callTool('echo', { text: 'cached' })).content).toEqual([{ type: 'text', text: 'from cache' }]);
    const changed = await client.callTool('echo', { text: 'live' });
    expect(changed._meta).toMatchObject({ 'example.com/audited': true });
  });

  it('turns a ToolError into an isError result for tools and -32602 elsewhere', async () => {
    const server = newServer();
    server.use(async (call, next) => {
      if (call.target !== undefined) throw new ToolError(`Quota for ${call.method} used up; retry in 30 s`);
      return next();
    });
    const client = new TestClient(server, { era });
    expect(await client.callTool('echo', { text: 'x' })).toMatchObject({
      content: [{ type: 'text', text: 'Quota for tools/call used up; retry in 30 s' }],
      isError: true,
    });
    const prompt = await client.getPrompt('summarise', { topic: 'x' }).catch((e: RpcError) => e);
    expect(prompt).toBeInstanceOf(RpcError);
    expect((prompt as RpcError).rpcCode).toBe(-32602);
    expect((prompt as RpcError).message).toBe('Quota for prompts/get used up; retry in 30 s');
  });

  it("answers a NotFoundError from a resource middleware with the era's not-found code", async () => {
    const server = newServer();
    server.use(onReadResource(() => Promise.reject(new NotFoundError('No memo for that day'))));
    const client = new TestClient(server, { era });
    const error = (await client.readResource('memo://today').catch((e: RpcError) => e)) as RpcError;
    expect(error.rpcCode).toBe(era === 'modern' ? -32602 : -32002);
    expect(error.message).toBe('No memo for that day');
  });

  it('sends a ProtocolError as written', async () => {
    const server = newServer();
    server.use(
      onGetPrompt(() => Promise.reject(new ProtocolError(-32042, 'Prompts are closed today', { reopens: 'tomorrow' }))),
    );
    const client = new TestClient(server, { era });
    const error = (await client.getPrompt('summarise', { topic: 'x' }).catch((e: RpcError) => e)) as RpcError;
    expect([error.rpcCode, error.message, error.data]).toEqual([
      -32042,
      'Prompts are closed today',
      { reopens: 'tomorrow' },
    ]);
  });

  it('masks and logs an unexpected middleware error like a handler error', async () => {
    const logs = captureLogs();
    const server = newServer(logs.logger);
    server.use(async (call, next) => {
      if (call.target === undefined) return next();
      throw new Error('redis at 10.1.2.3 refused AUTH hunter2');
    });
    const client = new TestClient(server, { era });
    const tool = await client.callTool('echo', { text: 'x' });
    expect(tool.isError).toBe(true);
    expect(JSON.stringify(tool)).not.toMatch(/hunter2|10\.1\.2\.3/);
    expect(JSON.stringify(tool.content)).toMatch(/correlation id [0-9a-f-]{36}/);
    const prompt = (await client.getPrompt('summarise', { topic: 'x' }).catch((e: RpcError) => e)) as RpcError;
    expect(prompt.rpcCode).toBe(-32603);
    expect(prompt.message).not.toMatch(/hunter2/);
    expect(logs.lines.filter((line) => line.err?.message?.includes('hunter2')).length).toBeGreaterThanOrEqual(2);
  });

  it('gives a middleware that calls next() twice a clear error, masked for the client', async () => {
    const logs = captureLogs();
    const server = newServer(logs.logger);
    let second: unknown;
    server.use(async (call, next) => {
      if (call.method !== 'tools/call') return next();
      await next();
      try {
        return await next();
      } catch (error) {
        second = error;
        throw error;
      }
    });
    const client = new TestClient(server, { era });
    const result = await client.callTool('echo', { text: 'x' });
    expect(result.isError).toBe(true);
    expect(String(second)).toMatch(/A middleware called next\(\) more than once/);
    expect(logs.lines.some((line) => line.err?.message === 'A middleware called next() more than once')).toBe(true);
  });

  it('applies middleware registered after the server started serving', async () => {
    const server = newServer();
    const client = new TestClient(server, { era });
    await client.callTool('echo', { text: 'before' });
    server.use(onCallTool(async () => ({ content: [{ type: 'text', text: 'late middleware' }] })));
    expect((await client.callTool('echo', { text: 'after' })).content).toEqual([
      { type: 'text', text: 'late middleware' },
    ]);
  });
});

describe('middleware and input rounds', () => {
  it('sees a 2026-07-28 input_required round as a result, and the final answer on the next round', async () => {
    const server = new Switchboard({ name: 'mw', version: '1' });
    server.tool('ask', {}, async (_args, ctx) => {
      const answer = await ctx.elicit('Name?', { name: z.string() });
      return answer.action === 'accept' ? `hello ${answer.content.name}` : 'no';
    });
    const kinds: unknown[] = [];
    server.use(async (_call, next) => {
      const result = await next();
      kinds.push(result.resultType ?? 'complete');
      return result;
    });
    const client = new TestClient(server, { elicit: () => ({ action: 'accept', content: { name: 'Ada' } }) });
    expect((await client.callTool('ask')).content).toEqual([{ type: 'text', text: 'hello Ada' }]);
    expect(kinds).toEqual(['input_required', 'complete']);
  });
});

describe.each(eras)('onList (%s)', (era) => {
  const hasScopes = onList((item, call) => item.scopes.every((scope) => call.auth.scopes.includes(scope)));

  it('shows each caller only what its scopes allow, before paging', async () => {
    const server = new Switchboard({ name: 'mw', version: '1', pageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      server.tool(name, { scopes: name === 'b' || name === 'd' ? ['admin'] : [] }, () => name);
    }
    server.prompt('secret', { scopes: ['admin'] }, () => 'x');
    server.prompt('open', {}, () => 'x');
    server.resource('memo://admin', { scopes: ['admin'] }, () => 'x');
    server.resource('memo://open', {}, () => 'x');
    server.resourceTemplate(
      'memo://day/{date}',
      { name: 'day', scopes: ['admin'], list: () => [{ uri: 'memo://day/1', name: 'day 1' }] },
      () => 'x',
    );
    server.use(hasScopes);
    const guest = new TestClient(server, { era });
    const admin = new TestClient(server, { era, auth: { subject: 'root', scopes: ['admin'], claims: {} } });
    expect((await guest.listTools()).tools.map((t) => t.name)).toEqual(['a', 'c', 'e']);
    expect((await admin.listTools()).tools.map((t) => t.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const firstPage = await guest.listTools({ cursor: undefined as never });
    expect(firstPage.tools.map((t) => t.name)).toEqual(['a', 'c', 'e']);
    expect((await guest.listPrompts()).prompts.map((p) => p.name)).toEqual(['open']);
    expect((await guest.listResources()).resources.map((r) => r.uri)).toEqual(['memo://open']);
    expect((await admin.listResources()).resources.map((r) => r.uri)).toEqual([
      'memo://admin',
      'memo://open',
      'memo://day/1',
    ]);
    expect((await guest.listResourceTemplates()).resourceTemplates).toEqual([]);
    expect((await admin.listResourceTemplates()).resourceTemplates.map((t) => t.name)).toEqual(['day']);
  });

  it('keeps full pages and valid cursors when items are hidden', async () => {
    const server = new Switchboard({ name: 'mw', version: '1', pageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      server.tool(name, { scopes: name === 'b' ? ['admin'] : [] }, () => name);
    server.use(hasScopes);
    const guest = new TestClient(server, { era });
    const page1 = await guest.request('tools/list', {});
    expect((page1.tools as { name: string }[]).map((t) => t.name)).toEqual(['a', 'c']);
    const page2 = await guest.request('tools/list', { cursor: page1.nextCursor });
    expect((page2.tools as { name: string }[]).map((t) => t.name)).toEqual(['d', 'e']);
    expect(page2.nextCursor).toBeUndefined();
    if (era === 'modern') expect(page1.cacheScope).toBe('private');
  });
});

describe('without middleware', () => {
  it('caches lists for everyone in 2026-07-28 as before', async () => {
    const server = newServer();
    const client = new TestClient(server);
    expect((await client.request('tools/list', {})).cacheScope).toBe('public');
  });
});

describe('onNotification', () => {
  it('sees the client notifications of a 2025-era session, with the caller', async () => {
    const logs = captureLogs();
    const server = newServer(logs.logger);
    const seen: string[] = [];
    server.use(
      onNotification((notification, caller) => {
        seen.push(`${caller.era}:${notification.method}:${caller.auth.subject ?? '-'}`);
        if (notification.method === 'notifications/initialized') throw new Error('hook bug');
      }),
    );
    const client = new TestClient(server, { era: 'legacy', auth: { subject: 'ada', scopes: [], claims: {} } });
    await client.connect();
    const controller = new AbortController();
    server.tool(
      'wait',
      {},
      (_args, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('x'))),
    );
    const call = client.callTool('wait', {}, { signal: controller.signal });
    controller.abort();
    await call.catch(() => undefined);
    expect(seen).toEqual(['legacy:notifications/initialized:ada', 'legacy:notifications/cancelled:ada']);
    expect(logs.lines.some((line) => line.msg === 'notification hook failed' && line.err?.message === 'hook bug')).toBe(
      true,
    );
  });
});
