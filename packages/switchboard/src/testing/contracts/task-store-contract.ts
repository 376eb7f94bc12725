import assert from 'node:assert/strict';
import type { StoredTask, TaskStore } from '../../stores/task-store.js';
import type { ContractRunner, StoreFactory } from './runner.js';
import { uniqueId, withStore } from './runner.js';

function newTask(overrides: Partial<StoredTask> = {}): StoredTask {
  const now = new Date().toISOString();
  return {
    taskId: uniqueId('task'),
    principal: 'sub:alice',
    status: 'working',
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: 3_600_000,
    pollIntervalMs: 1000,
    owner: 'instance-a',
    leaseExpiresAt: Date.now() + 60_000,
    ...overrides,
  };
}

const FAILED = { code: -32603, message: 'instance gone' };

/**
 * What every `TaskStore` must do for tasks to be readable and steerable from any instance and never stuck: keep a
 * task as created, apply changes until a terminal state and never after (atomically), renew leases of the owner's
 * running tasks only, fail running tasks whose lease ran out, and count a caller's running tasks.
 */
export function taskStoreContract(name: string, factory: StoreFactory<TaskStore>, runner: ContractRunner): void {
  const { describe, it } = runner;
  describe(`TaskStore contract: ${name}`, () => {
    it('returns a created task as plain data, and undefined for an unknown id', () =>
      withStore(factory, async (store) => {
        const task = newTask();
        await store.create(task);
        assert.deepEqual(await store.get(task.taskId), task);
        assert.equal(await store.get(uniqueId('missing')), undefined);
      }));

    it('applies changes until the task is terminal, then refuses them', () =>
      withStore(factory, async (store) => {
        const task = newTask();
        await store.create(task);
        const asking = await store.update(task.taskId, {
          status: 'input_required',
          lastUpdatedAt: new Date().toISOString(),
          inputRequests: { 'elicit-1': { method: 'elicitation/create', params: { message: 'Sure?' } } },
        });
        assert.equal(asking?.status, 'input_required');
        assert.deepEqual(asking?.inputRequests, {
          'elicit-1': { method: 'elicitation/create', params: { message: 'Sure?' } },
        });
        const result = { content: [{ type: 'text', text: 'done' }] };
        const done = await store.update(task.taskId, {
          status: 'completed',
          lastUpdatedAt: new Date().toISOString(),
          result,
        });
        assert.equal(done?.status, 'completed');
        assert.deepEqual(done?.result, result);
        assert.equal(done?.inputRequests, undefined);
        const late = await store.update(task.taskId, { status: 'cancelled', lastUpdatedAt: new Date().toISOString() });
        assert.equal(late, undefined);
        assert.equal((await store.get(task.taskId))?.status, 'completed');
        assert.equal(await store.update(uniqueId('missing'), { status: 'failed', lastUpdatedAt: '' }), undefined);
      }));

    it('lets exactly one of two racing changes finish a task', () =>
      withStore(factory, async (store) => {
        const task = newTask();
        await store.create(task);
        const now = new Date().toISOString();
        const outcomes = await Promise.all([
          store.update(task.taskId, { status: 'completed', lastUpdatedAt: now, result: { content: [] } }),
          store.update(task.taskId, { status: 'cancelled', lastUpdatedAt: now }),
        ]);
        assert.equal(outcomes.filter((outcome) => outcome !== undefined).length, 1);
      }));

    it("renews only the owner's running tasks, and fails running tasks whose lease ran out", () =>
      withStore(factory, async (store) => {
        const past = Date.now() - 1000;
        const mine = newTask({ leaseExpiresAt: past });
        const theirs = newTask({ owner: 'instance-b', leaseExpiresAt: past });
        const finished = newTask({ status: 'completed', leaseExpiresAt: past, result: { content: [] } });
        for (const task of [mine, theirs, finished]) await store.create(task);
        await store.renewLeases('instance-a', [mine.taskId, theirs.taskId], Date.now() + 60_000);
        const failed = await store.failExpired(Date.now(), FAILED);
        assert.deepEqual(
          failed.map((task) => task.taskId),
          [theirs.taskId],
        );
        assert.deepEqual((await store.get(theirs.taskId))?.error, FAILED);
        assert.equal((await store.get(theirs.taskId))?.status, 'failed');
        assert.equal((await store.get(mine.taskId))?.status, 'working');
        assert.equal((await store.get(finished.taskId))?.status, 'completed');
        assert.deepEqual(await store.failExpired(Date.now(), FAILED), []);
      }));

    it("counts a principal's tasks that are still running", () =>
      withStore(factory, async (store) => {
        const principal = uniqueId('sub');
        await store.create(newTask({ principal }));
        await store.create(newTask({ principal, status: 'input_required' }));
        await store.create(newTask({ principal, status: 'failed', error: FAILED }));
        await store.create(newTask({ principal: uniqueId('sub') }));
        assert.equal(await store.countActive(principal), 2);
      }));
  });
}
