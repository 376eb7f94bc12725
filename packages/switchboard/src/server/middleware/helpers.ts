import type { Result } from '../../protocol/messages.js';
import type {
  ListFilter,
  Middleware,
  MiddlewareCall,
  NotificationHook,
  PromptGet,
  ResourceRead,
  ToolCall,
  Use,
} from './types.js';

type Narrowed<T extends MiddlewareCall> = (call: T, next: () => Promise<Result>) => Promise<Result>;

/** A middleware for `tools/call` of registered tools only; every other request passes straight on. */
export function onCallTool(middleware: Narrowed<ToolCall>): Middleware {
  return (call, next) =>
    call.method === 'tools/call' && call.target?.kind === 'tool' ? middleware(call as ToolCall, next) : next();
}

/** A middleware for `resources/read` of registered resources and templates only. */
export function onReadResource(middleware: Narrowed<ResourceRead>): Middleware {
  return (call, next) =>
    call.method === 'resources/read' && call.target?.kind === 'resource'
      ? middleware(call as ResourceRead, next)
      : next();
}

/** A middleware for `prompts/get` of registered prompts only. */
export function onGetPrompt(middleware: Narrowed<PromptGet>): Middleware {
  return (call, next) =>
    call.method === 'prompts/get' && call.target?.kind === 'prompt' ? middleware(call as PromptGet, next) : next();
}

/**
 * Per-caller visibility: `filter` decides, item by item, what `tools/list`, `resources/list`,
 * `resources/templates/list` and `prompts/list` show this caller. It runs before paging, so pages stay full and
 * cursors stay valid; filtered lists are marked `cacheScope: 'private'` for 2026-07-28 clients.
 */
export function onList(filter: ListFilter): Use {
  return { kind: 'list-filter', filter };
}

/** Observes every notification a client sends, in both eras and on every transport. */
export function onNotification(hook: NotificationHook): Use {
  return { kind: 'notification-hook', hook };
}
