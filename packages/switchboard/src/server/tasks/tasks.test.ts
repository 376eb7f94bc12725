import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, ProtocolError, ToolError } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import type { TaskStore } from '../../stores/task-store.js';
import { MemoryTaskStore } from '../../stores/task-store.js';
import { TestClient } from '../../testing/index.js';
import { Switchboard } from '../switchboard.js';

const TASKS = { 'io.modelcontextprotocol/tasks': {} };

function server() {
  const s = new Switchboard({ name: 'tasks', version: '1.0.0' });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  s.tool('export', { input: { rows: z.number() }, task: 'optional' }, async ({ rows }, ctx) => {
    await Promise.race([gate, new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))]);
    return ctx.signal.aborted ? 'stopped' : `exported ${rows} rows`;
  });
  s.tool('must_be_task', { task: 'required' }, () => {
    throw new ToolError('nothing to export');
  });
  s.tool('crash', { task: 'optional' }, () => {
    throw new ProtocolError(ErrorCode.InternalError, 'worker crashed', { worker: 3 });
  });
  s.tool('confirm', { task: 'optional' }, async (_args, ctx) => {
    const [name, ok] = await Promise.all([
      ctx.elicit('Name?', { name: z.string() }),
      ctx.elicit('Sure?', { ok: z.boolean() }),
    ]);
    return `${name.action === 'accept' ? name.content.name : '-'}:${ok.action === 'accept' ? ok.content.ok : '-'}`;
  });
  s.tool('ask_then_work', { task: 'required', taskStart: 'by-handler' }, async (_args, ctx) => {
    const answer = await ctx.elicit('Name?', { name: z.string() }, { key: 'user_name' });
    await ctx.startTask();
    await gate;
    return `Hello, ${answer.action === 'accept' ? answer.content.name : 'nobody'}`;
  });
  s.tool('quick_by_handler', { task: 'optional', taskStart: 'by-handler' }, () => 'answered directly');
  return { s, release };
}

const client = (s: Switchboard, extra: Params = {}) =>
  new TestClient(s, { capabilities: { extensions: TASKS, elicitation: {} }, ...extra });

async function terminal(c: TestClient, taskId: string): Promise<Params> {
  let task: Params = {};
  await expect
    .poll(async () => {
      task = await c.request('tasks/get', { taskId });
      return ['completed', 'failed', 'cancelled'].includes(String(task.status));
    })
    .toBe(true);
  return task;
}

describe('tasks (io.modelcontextprotocol/tasks)', () => {
  it('returns a task handle at once, then the result on tasks/get', async () => {
    const { s, release } = server();
    const c = client(s);
    const created = await c.callTool('export', { rows: 3 });
    expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 3_600_000, pollIntervalMs: 1000 });
    expect(created).not.toHaveProperty('content');
    const taskId = String((created as Params).taskId);
    expect(await c.request('tasks/get', { taskId })).toMatchObject({
      resultType: 'complete',
      taskId,
      status: 'working',
    });
    release();
    expect(await terminal(c, taskId)).toMatchObject({
      status: 'completed',
      result: { content: [{ type: 'text', text: 'exported 3 rows' }] },
    });
  });

  it('runs synchronously for a client without the extension, and refuses a required task with -32021', async () => {
    const { s, release } = server();
    release();
    const plain = new TestClient(s);
    expect(await plain.callTool('export', { rows: 1 })).toMatchObject({
      resultType: 'complete',
      content: [{ text: 'exported 1 rows' }],
    });
    await expect(plain.callTool('must_be_task')).rejects.toMatchObject({
      rpcCode: -32021,
      data: { requiredCapabilities: { extensions: TASKS } },
    });
    await expect(plain.request('tasks/get', { taskId: 'x' })).rejects.toMatchObject({ rpcCode: -32021 });
    const legacy = new TestClient(s, { era: 'legacy' });
    expect(await legacy.callTool('must_be_task')).toMatchObject({
      isError: true,
      content: [{ text: 'nothing to export' }],
    });
  });

  it('completes with isError for a tool error and fails with the JSON-RPC error for a protocol error', async () => {
    const { s } = server();
    const c = client(s);
    const toolError = String(((await c.callTool('must_be_task')) as Params).taskId);
    expect(await terminal(c, toolError)).toMatchObject({ status: 'completed', result: { isError: true } });
    const crash = String(((await c.callTool('crash')) as Params).taskId);
    const failed = await terminal(c, crash);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: -32603, message: 'worker crashed', data: { worker: 3 } },
    });
    expect(failed).not.toHaveProperty('result');
  });

  it('parks on questions, accepts partial answers, resumes when all are in', async () => {
    const { s } = server();
    const c = client(s);
    const taskId = String(((await c.callTool('confirm')) as Params).taskId);
    let parked: Params = {};
    await expect
      .poll(async () => {
        parked = await c.request('tasks/get', { taskId });
        return parked.status;
      })
      .toBe('input_required');
    expect(Object.keys(parked.inputRequests as Params)).toEqual(['elicit-1', 'elicit-2']);
    expect(
      await c.request('tasks/update', {
        taskId,
        inputResponses: { 'elicit-1': { action: 'accept', content: { name: 'Ada' } }, nope: {} },
      }),
    ).toEqual({
      resultType: 'complete',
      _meta: expect.any(Object),
    });
    const partial = await c.request('tasks/get', { taskId });
    expect(partial.status).toBe('input_required');
    expect(Object.keys(partial.inputRequests as Params)).toEqual(['elicit-2']);
    await expect(
      c.request('tasks/update', { taskId, inputResponses: { 'elicit-2': { action: 'maybe' } } }),
    ).rejects.toMatchObject({ rpcCode: -32602 });
    await c.request('tasks/update', {
      taskId,
      inputResponses: { 'elicit-2': { action: 'accept', content: { ok: true } } },
    });
    expect(await terminal(c, taskId)).toMatchObject({
      status: 'completed',
      result: { content: [{ text: 'Ada:true' }] },
    });
  });

  it('cancels cooperatively, idempotently, and hides tasks from other callers', async () => {
    const { s } = server();
    const c = client(s, { auth: { subject: 'alice', scopes: [], claims: {} } });
    const taskId = String(((await c.callTool('export', { rows: 9 })) as Params).taskId);
    const mallory = client(s, { auth: { subject: 'mallory', scopes: [], claims: {} } });
    await expect(mallory.request('tasks/get', { taskId })).rejects.toMatchObject({ rpcCode: -32602 });
    await expect(mallory.request('tasks/cancel', { taskId })).rejects.toMatchObject({ rpcCode: -32602 });
    expect(await c.request('tasks/cancel', { taskId })).not.toHaveProperty('status');
    expect(await c.request('tasks/get', { taskId })).toMatchObject({ status: 'cancelled' });
    await c.request('tasks/cancel', { taskId });
    await expect(c.request('tasks/get', { taskId: 'no-such-task' })).rejects.toMatchObject({ rpcCode: -32602 });
  });

  it('by-handler: MRTR questions first, then a task once the handler calls startTask()', async () => {
    const { s, release } = server();
    const c = client(s, { elicit: async () => ({ action: 'accept', content: { name: 'Grace' } }) });
    const created = (await c.callTool('ask_then_work')) as Params;
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    expect(created).not.toHaveProperty('requestState');
    release();
    expect(await terminal(c, String(created.taskId))).toMatchObject({
      status: 'completed',
      result: { content: [{ text: 'Hello, Grace' }] },
    });
    expect(await c.callTool('quick_by_handler')).toMatchObject({
      resultType: 'complete',
      content: [{ text: 'answered directly' }],
    });
  });

  it('publishes status changes to subscriptions/listen for the caller’s tasks', async () => {
    const { s, release } = server();
    const c = client(s);
    const taskId = String(((await c.callTool('export', { rows: 2 })) as Params).taskId);
    const listening = c.request('subscriptions/listen', { notifications: { taskIds: [taskId, 'someone-elses'] } });
    await expect
      .poll(() => c.notifications.some((n) => n.method === 'notifications/subscriptions/acknowledged'))
      .toBe(true);
    const ack = c.notifications.find((n) => n.method === 'notifications/subscriptions/acknowledged');
    expect(ack?.params).toMatchObject({ notifications: { taskIds: [taskId] } });
    release();
    await expect
      .poll(() => c.notifications.find((n) => n.method === 'notifications/tasks')?.params)
      .toMatchObject({
        taskId,
        status: 'completed',
        result: { content: [{ text: 'exported 2 rows' }] },
      });
    s.close();
    await listening;
    await expect(
      new TestClient(s).request('subscriptions/listen', { notifications: { taskIds: [taskId] } }),
    ).rejects.toMatchObject({ rpcCode: -32021 });
  });
});

describe('tasks in a store', () => {
  it('stores the task before its handle goes out, and every state change before it is announced', async () => {
    const store = new MemoryTaskStore();
    const writes: string[] = [];
    const recording: TaskStore = {
      create: async (task) => {
        writes.push(`create:${task.status}`);
        await store.create(task);
      },
      get: (id) => store.get(id),
      update: async (id, change) => {
        writes.push(`update:${change.status}`);
        return store.update(id, change);
      },
      renewLeases: (owner, ids, until) => store.renewLeases(owner, ids, until),
      failExpired: (now, error) => store.failExpired(now, error),
      countActive: (principal) => store.countActive(principal),
    };
    const s = new Switchboard({ name: 'tasks', version: '1.0.0', tasks: { store: recording } });
    s.tool('quick', { task: 'required' }, () => 'done');
    const c = client(s);
    const created = (await c.callTool('quick')) as Params;
    expect(writes[0]).toBe('create:working');
    expect(await store.get(String(created.taskId))).toMatchObject({ principal: '', owner: expect.any(String) });
    const finished = await terminal(c, String(created.taskId));
    expect(finished).toMatchObject({ status: 'completed', result: { content: [{ type: 'text', text: 'done' }] } });
    expect(writes).toEqual(['create:working', 'update:completed']);
  });

  it('fails a task whose instance stopped renewing its lease, instead of leaving it working', async () => {
    const store = new MemoryTaskStore();
    const taskId = 'a2c4e6f8-0000-4000-8000-000000000001';
    const old = new Date(Date.now() - 60_000).toISOString();
    await store.create({
      taskId,
      principal: '',
      status: 'working',
      createdAt: old,
      lastUpdatedAt: old,
      ttlMs: 3_600_000,
      pollIntervalMs: 1000,
      owner: 'an-instance-that-was-killed',
      leaseExpiresAt: Date.now() - 1,
    });
    const s = new Switchboard({ name: 'tasks', version: '1.0.0', tasks: { store } });
    const task = await client(s).request('tasks/get', { taskId });
    expect(task).toMatchObject({
      status: 'failed',
      error: { code: -32603, message: expect.stringMatching(/stopped before the task finished/) },
    });
  });

  it('cancels a task it does not run through the store, and checks input before relaying it, refusing it when nothing takes it', async () => {
    const store = new MemoryTaskStore();
    const taskId = 'a2c4e6f8-0000-4000-8000-000000000002';
    const now = new Date().toISOString();
    await store.create({
      taskId,
      principal: '',
      status: 'input_required',
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs: 3_600_000,
      pollIntervalMs: 1000,
      owner: 'another-instance',
      leaseExpiresAt: Date.now() + 60_000,
      inputRequests: { 'elicit-1': { method: 'elicitation/create', params: { message: 'Sure?' } } },
    });
    const s = new Switchboard({ name: 'tasks', version: '1.0.0', tasks: { store } });
    const c = client(s);
    await expect(
      c.request('tasks/update', { taskId, inputResponses: { 'elicit-1': { action: 'maybe' } } }),
    ).rejects.toThrow(/inputResponses\["elicit-1"\] is not a valid result for elicitation\/create/);
    // A valid answer goes over the bus to the instance running the task; none here takes it, so none is claimed.
    await expect(
      c.request('tasks/update', { taskId, inputResponses: { 'elicit-1': { action: 'accept' } } }),
    ).rejects.toMatchObject({
      rpcCode: -32600,
      message: expect.stringMatching(/not running on any instance.*nothing was delivered/),
    });
    await c.request('tasks/cancel', { taskId });
    expect(await c.request('tasks/get', { taskId })).toMatchObject({ status: 'cancelled' });
  });
});
