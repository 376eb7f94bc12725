import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Params } from '../../protocol/messages.js';
import { MemoryBus } from '../../stores/bus.js';
import { MemoryTaskStore } from '../../stores/task-store.js';
import { TestClient } from '../../testing/index.js';
import { Switchboard } from '../switchboard.js';

const TASKS = { 'io.modelcontextprotocol/tasks': {} };
const ALICE = { subject: 'alice', scopes: [], claims: {} };
const MALLORY = { subject: 'mallory', scopes: [], claims: {} };

/** Two instances sharing one bus and one task store, as two processes share Redis and PostgreSQL. */
function twoInstances() {
  const bus = new MemoryBus();
  const store = new MemoryTaskStore();
  const aborted: string[] = [];
  const make = (name: string) => {
    const s = new Switchboard({ name, version: '1.0.0', bus, tasks: { store } });
    s.tool('wait', { task: 'optional' }, async (_args, ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      aborted.push(name);
      return 'stopped';
    });
    s.tool('confirm', { task: 'optional' }, async (_args, ctx) => {
      const answer = await ctx.elicit('Sure?', { ok: z.boolean() });
      return `${name}:${answer.action === 'accept' ? answer.content.ok : '-'}`;
    });
    return s;
  };
  return { a: make('a'), b: make('b'), aborted };
}

const client = (s: Switchboard, auth = ALICE) =>
  new TestClient(s, { capabilities: { extensions: TASKS, elicitation: {} }, auth });

async function statusOn(c: TestClient, taskId: string, wanted: string): Promise<Params> {
  let task: Params = {};
  await expect
    .poll(async () => {
      task = await c.request('tasks/get', { taskId });
      return task.status;
    })
    .toBe(wanted);
  return task;
}

describe('tasks across instances (shared bus and store)', () => {
  it('a cancel through another instance aborts the handler where the task runs', async () => {
    const { a, b, aborted } = twoInstances();
    const created = await client(a).request('tools/call', { name: 'wait', arguments: {} });
    const taskId = String(created.taskId);
    await client(b).request('tasks/cancel', { taskId });
    await expect.poll(() => aborted).toEqual(['a']);
    expect((await client(a).request('tasks/get', { taskId })).status).toBe('cancelled');
  });

  it('an answer through another instance resumes the handler where the task runs', async () => {
    const { a, b } = twoInstances();
    const created = await client(a).request('tools/call', { name: 'confirm', arguments: {} });
    const taskId = String(created.taskId);
    const parked = await statusOn(client(b), taskId, 'input_required');
    const [key] = Object.keys(parked.inputRequests as Params);
    await client(b).request('tasks/update', {
      taskId,
      inputResponses: { [key as string]: { action: 'accept', content: { ok: true } } },
    });
    const done = await statusOn(client(b), taskId, 'completed');
    expect(done.result).toMatchObject({ content: [{ text: 'a:true' }] });
  });

  it('hides a task from another principal on every instance, and lets no one else steer it', async () => {
    const { a, b, aborted } = twoInstances();
    const created = await client(a).request('tools/call', { name: 'wait', arguments: {} });
    const taskId = String(created.taskId);
    for (const s of [a, b]) {
      await expect(client(s, MALLORY).request('tasks/get', { taskId })).rejects.toMatchObject({ rpcCode: -32602 });
      await expect(client(s, MALLORY).request('tasks/cancel', { taskId })).rejects.toMatchObject({ rpcCode: -32602 });
    }
    expect((await client(b).request('tasks/get', { taskId })).status).toBe('working');
    expect(aborted).toEqual([]);
    await client(b).request('tasks/cancel', { taskId });
  });
});
