import { principalKey } from '../../protocol/auth.js';
import { invalidParams } from '../../protocol/errors.js';
import type { ServerEvent } from '../../protocol/events.js';
import type { Params } from '../../protocol/messages.js';
import { META } from '../../protocol/versions.js';
import type { ServerCore } from '../core.js';
import type { RequestContext } from '../request-context.js';
import { missingTasksExtension, TASKS_EXTENSION } from '../tasks/task-manager.js';
import type { ServerCall, ServerMethod } from './server-method.js';

interface Filter {
  toolsListChanged?: true;
  promptsListChanged?: true;
  resourcesListChanged?: true;
  resourceSubscriptions?: string[];
  /** io.modelcontextprotocol/tasks: status notifications for these tasks. */
  taskIds?: string[];
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidParams(`notifications.${field} must be an array of strings`);
  }
  return value as string[];
}

/** The subset of the requested filter this server honours (2026-07-28 basic/patterns/subscriptions §Acknowledgment). */
async function acceptFilter(requested: unknown, core: ServerCore, ctx: RequestContext): Promise<Filter> {
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) {
    throw invalidParams('subscriptions/listen needs params.notifications (a notification filter object)');
  }
  const r = requested as Params;
  const filter: Filter = {};
  if (r.toolsListChanged === true) filter.toolsListChanged = true;
  if (r.promptsListChanged === true) filter.promptsListChanged = true;
  if (r.resourcesListChanged === true) filter.resourcesListChanged = true;
  if (r.resourceSubscriptions !== undefined)
    filter.resourceSubscriptions = stringList(r.resourceSubscriptions, 'resourceSubscriptions');
  if (r.taskIds !== undefined) {
    if (ctx.client.capabilities.extensions?.[TASKS_EXTENSION] === undefined) {
      // SEP-2663 §Task Status Notifications: task notifications need the extension declared.
      throw missingTasksExtension('notifications.taskIds');
    }
    const principal = principalKey(ctx.auth);
    // Only the caller's own tasks are honoured; the acknowledgment lists which.
    const ids = stringList(r.taskIds, 'taskIds');
    const owned = await Promise.all(ids.map(async (id) => (await core.tasks.get(id, principal)) !== undefined));
    filter.taskIds = ids.filter((_id, index) => owned[index]);
  }
  return filter;
}

function matches(filter: Filter, event: ServerEvent): boolean {
  switch (event.type) {
    case 'tools/list_changed':
      return filter.toolsListChanged === true;
    case 'prompts/list_changed':
      return filter.promptsListChanged === true;
    case 'resources/list_changed':
      return filter.resourcesListChanged === true;
    case 'resources/updated':
      return filter.resourceSubscriptions?.includes(event.uri) === true;
    case 'tasks/status':
      return filter.taskIds?.includes(event.task.taskId) === true;
    default:
      return false;
  }
}

/** The notification (method and params) an event becomes on a listen stream, tagged with its subscription. */
function notificationFor(event: ServerEvent, meta: Params): [string, Params] {
  switch (event.type) {
    case 'resources/updated':
      return ['notifications/resources/updated', { _meta: meta, uri: event.uri }];
    case 'tasks/status':
      return ['notifications/tasks', { ...event.task, _meta: meta }];
    default:
      return [`notifications/${event.type}`, { _meta: meta }];
  }
}

function untilEnded(signal: AbortSignal, closing: Promise<void>): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return Promise.race([
    closing,
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
  ]);
}

async function listen(core: ServerCore, { params, ctx, link }: ServerCall): Promise<Params> {
  const filter = await acceptFilter(params.notifications, core, ctx);
  const meta = { [META.subscriptionId]: ctx.requestId };
  // The acknowledgment MUST come first on the stream; nothing is subscribed until it is written.
  link.notify('notifications/subscriptions/acknowledged', { _meta: meta, notifications: filter });
  const unsubscribe = await core.bus.subscribe((event) => {
    if (matches(filter, event)) link.notify(...notificationFor(event, meta));
  });
  try {
    await untilEnded(ctx.signal, core.closing);
  } finally {
    unsubscribe();
  }
  // Reached on server shutdown: the completion result tells the client the subscription ended gracefully.
  return { _meta: meta };
}

export function subscriptionMethods(core: ServerCore): Record<string, ServerMethod> {
  return { 'subscriptions/listen': { era: 'modern', handle: (call) => listen(core, call) } };
}
