import { principalKey } from '../../protocol/auth.js';
import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import type { ServerCore } from '../core.js';
import { missingTasksExtension, TASKS_EXTENSION } from '../tasks/task-manager.js';
import type { TaskHandle } from '../tasks/task-record.js';
import type { ServerCall, ServerMethod } from './server-method.js';

/** The task a tasks/* request names, after checking the caller negotiated the extension and owns the task. */
async function taskOf(core: ServerCore, method: string, { params, ctx }: ServerCall): Promise<TaskHandle> {
  if (ctx.client.capabilities.extensions?.[TASKS_EXTENSION] === undefined) {
    throw missingTasksExtension(method);
  }
  if (typeof params.taskId !== 'string') throw invalidParams('params.taskId must be the id of a task');
  const task = await core.tasks.get(params.taskId, principalKey(ctx.auth));
  // SEP-2663: an unknown taskId is -32602; another caller's task is reported the same way.
  if (task === undefined) throw invalidParams(`Unknown task "${params.taskId}"`);
  return task;
}

/** tasks/get, tasks/update and tasks/cancel (io.modelcontextprotocol/tasks, SEP-2663), 2026-07-28 only. */
export function taskMethods(core: ServerCore): Record<string, ServerMethod> {
  return {
    'tasks/get': { era: 'modern', handle: async (call) => (await taskOf(core, 'tasks/get', call)).detailed() },
    'tasks/update': {
      era: 'modern',
      handle: async (call) => {
        const task = await taskOf(core, 'tasks/update', call);
        const responses = call.params.inputResponses;
        if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) {
          throw invalidParams('params.inputResponses must be an object keyed by input request');
        }
        await task.provide(responses as Params);
        return {};
      },
    },
    'tasks/cancel': {
      era: 'modern',
      handle: async (call) => {
        await (await taskOf(core, 'tasks/cancel', call)).cancel();
        return {};
      },
    },
  };
}
