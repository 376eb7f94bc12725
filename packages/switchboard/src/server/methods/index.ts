import type { MethodTable } from '../../protocol/method-table.js';
import type { ServerCore } from '../core.js';
import type { RequestContext } from '../request-context.js';
import { completionMethods } from './completion.js';
import { lifecycleMethods } from './lifecycle.js';
import { promptMethods } from './prompts.js';
import { resourceMethods } from './resources.js';
import type { ServerMethod } from './server-method.js';
import { subscriptionMethods } from './subscriptions.js';
import { taskMethods } from './tasks.js';
import { toolMethods } from './tools.js';

/** Every method this server answers, built once per server. */
export function buildMethodTable(core: ServerCore): MethodTable<RequestContext> {
  const table = new Map<string, ServerMethod>();
  for (const group of [
    lifecycleMethods,
    toolMethods,
    resourceMethods,
    promptMethods,
    completionMethods,
    subscriptionMethods,
    taskMethods,
  ]) {
    for (const [method, spec] of Object.entries(group(core))) table.set(method, spec);
  }
  return table;
}
