import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import type { Call, MethodSpec } from '../../protocol/method-table.js';
import { META } from '../../protocol/versions.js';
import type { ServerEvent } from '../../stores/bus.js';
import type { ServerCore } from '../core.js';

interface Filter {
  toolsListChanged?: true;
  promptsListChanged?: true;
  resourcesListChanged?: true;
  resourceSubscriptions?: string[];
}

/** The subset of the requested filter this server honours (2026-07-28 basic/patterns/subscriptions §Acknowledgment). */
function acceptFilter(requested: unknown): Filter {
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) {
    throw invalidParams('subscriptions/listen needs params.notifications (a notification filter object)');
  }
  const r = requested as Params;
  const filter: Filter = {};
  if (r.toolsListChanged === true) filter.toolsListChanged = true;
  if (r.promptsListChanged === true) filter.promptsListChanged = true;
  if (r.resourcesListChanged === true) filter.resourcesListChanged = true;
  if (r.resourceSubscriptions !== undefined) {
    if (!Array.isArray(r.resourceSubscriptions) || r.resourceSubscriptions.some((u) => typeof u !== 'string')) {
      throw invalidParams('notifications.resourceSubscriptions must be an array of URIs');
    }
    filter.resourceSubscriptions = r.resourceSubscriptions as string[];
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
  }
}

function untilEnded(signal: AbortSignal, closing: Promise<void>): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return Promise.race([
    closing,
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
  ]);
}

async function listen(core: ServerCore, { params, ctx, link }: Call): Promise<Params> {
  const filter = acceptFilter(params.notifications);
  const meta = { [META.subscriptionId]: ctx.requestId };
  // The acknowledgment MUST come first on the stream; nothing is subscribed until it is written.
  link.notify('notifications/subscriptions/acknowledged', { _meta: meta, notifications: filter });
  const unsubscribe = core.bus.subscribe((event) => {
    if (!matches(filter, event)) return;
    const eventParams: Params = event.type === 'resources/updated' ? { _meta: meta, uri: event.uri } : { _meta: meta };
    link.notify(`notifications/${event.type}`, eventParams);
  });
  try {
    await untilEnded(ctx.signal, core.closing);
  } finally {
    unsubscribe();
  }
  // Reached on server shutdown: the completion result tells the client the subscription ended gracefully.
  return { _meta: meta };
}

export function subscriptionMethods(core: ServerCore): Record<string, MethodSpec> {
  return { 'subscriptions/listen': { era: 'modern', handle: (call) => listen(core, call) } };
}
