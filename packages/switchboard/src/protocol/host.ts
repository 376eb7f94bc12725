import type { Logger } from 'pino';
import type { AuthInfo } from './auth.js';
import type { Dispatcher } from './engine.js';
import type { EventSource } from './events.js';
import type { ResolvedClientLimits } from './limits.js';
import type { Params } from './messages.js';
import type { Era } from './versions.js';

/** One tool parameter mirrored into an `Mcp-Param-{name}` header (2026-07-28 transports/streamable-http). */
export interface HeaderParam {
  /** Lower-cased full header name, as node reports it. */
  header: string;
  /** Property path from the arguments root. */
  path: readonly string[];
  type: 'string' | 'integer' | 'boolean';
}

/** A notification a client sent (`notifications/initialized`, `notifications/cancelled`, …). */
export interface ClientNotification {
  readonly method: string;
  readonly params: Params;
}

/** Who sent a notification. */
export interface NotificationCaller {
  readonly era: Era;
  readonly auth: AuthInfo;
}

/**
 * What a transport needs of the server it carries, and nothing more: `Switchboard` implements it. Transports and
 * the connection layer depend on this interface, never on the server's class or its registries.
 */
export interface McpHost {
  /** Serves one request (the engine). */
  readonly dispatcher: Dispatcher;
  /** Server events (list changes, resource updates, task status) for sessions that receive them unprompted. */
  readonly events: EventSource;
  readonly logger: Logger;
  /** Settles when the server begins shutting down; long-lived requests end gracefully on it. */
  readonly closing: Promise<void>;
  readonly closed: boolean;
  /** Begins shutting down: long-lived requests (subscriptions) end. */
  beginClose(): void;
  /** The `x-mcp-header` parameters of a tool, for HTTP header validation; undefined for unknown tools. */
  headerParamsOf(toolName: string): readonly HeaderParam[] | undefined;
  /** Bounds on what a client can make the server keep (pending questions per session, …). */
  readonly limits?: ResolvedClientLimits;
  /** Runs the server's notification hooks; never throws. */
  notified(notification: ClientNotification, caller: NotificationCaller): Promise<void>;
}
