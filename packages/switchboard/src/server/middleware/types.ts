import type { AuthInfo } from '../../protocol/auth.js';
import type { ClientNotification, NotificationCaller } from '../../protocol/host.js';
import type { Params, Result, ToolAnnotations } from '../../protocol/messages.js';
import type { Era } from '../../protocol/versions.js';
import type { Context } from '../context.js';

/** The tool a `tools/call` names. */
export interface ToolTarget {
  readonly kind: 'tool';
  readonly name: string;
  /** What the tool was registered with (`scopes` option); a caller needs all of them. */
  readonly scopes: readonly string[];
  readonly annotations: ToolAnnotations | undefined;
  readonly meta: Params | undefined;
}

/** The resource a `resources/read` (or subscribe) names: a fixed resource, or a template's match. */
export interface ResourceTarget {
  readonly kind: 'resource';
  readonly uri: string;
  /** The template the URI matched, when it did not name a fixed resource. */
  readonly uriTemplate: string | undefined;
  readonly scopes: readonly string[];
}

/** The prompt a `prompts/get` names. */
export interface PromptTarget {
  readonly kind: 'prompt';
  readonly name: string;
  readonly scopes: readonly string[];
}

/** What a request addresses; undefined for methods that address nothing (lists, initialize) or unknown names. */
export type Target = ToolTarget | ResourceTarget | PromptTarget;

/** One request as middleware sees it, in either era, on any transport. */
export interface MiddlewareCall {
  readonly method: string;
  readonly params: Params;
  readonly era: Era;
  /** Who is calling (empty scopes and claims for anonymous callers). */
  readonly auth: AuthInfo;
  /** The context the handler will get (logger, signal, client…). */
  readonly ctx: Context;
  /** Per-request data shared by middlewares and the handler (`ctx.state` is the same object). */
  readonly state: Record<string, unknown>;
  /** The tool, resource or prompt the request addresses, resolved before the chain runs. */
  readonly target: Target | undefined;
  /** A header (lower-case name) of the HTTP request that carried this one; undefined on stdio and in tests. */
  header(name: string): string | undefined;
}

/**
 * Runs around every request. Call `next()` once to go on (its result may be changed), or answer without it, throw a
 * `ToolError` (a `tools/call` answers with an `isError` result the model reads; other methods with -32602) or a
 * `ProtocolError` (sent as written, with its HTTP status and headers).
 */
export type Middleware = (call: MiddlewareCall, next: () => Promise<Result>) => Promise<Result>;

/** A `tools/call` of a registered tool. */
export interface ToolCall extends MiddlewareCall {
  readonly target: ToolTarget;
  readonly arguments: Params;
}

/** A `resources/read` of a registered resource or template. */
export interface ResourceRead extends MiddlewareCall {
  readonly target: ResourceTarget;
}

/** A `prompts/get` of a registered prompt. */
export interface PromptGet extends MiddlewareCall {
  readonly target: PromptTarget;
}

/** One entry of a list result, before paging: what a visibility filter decides on. */
export interface ListItem {
  readonly kind: 'tool' | 'resource' | 'resourceTemplate' | 'prompt';
  readonly name: string;
  readonly scopes: readonly string[];
  /** The object the list returns for it. */
  readonly definition: Params;
}

/** Keeps an item in a caller's lists (true) or hides it (false). */
export type ListFilter = (item: ListItem, call: MiddlewareCall) => boolean;

/** Observes client notifications; what it throws is logged, never answered (notifications get no reply). */
export type NotificationHook = (notification: ClientNotification, caller: NotificationCaller) => void | Promise<void>;

/** What `server.use()` takes: a middleware, or one of the hooks `onList` and `onNotification` make. */
export type Use =
  | Middleware
  | { readonly kind: 'list-filter'; readonly filter: ListFilter }
  | { readonly kind: 'notification-hook'; readonly hook: NotificationHook };

export type { ClientNotification, NotificationCaller };
