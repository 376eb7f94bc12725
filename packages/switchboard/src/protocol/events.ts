import { encodeNotification } from './jsonrpc.js';

/** A change clients may subscribe to (2025-era GET stream, 2026-era `subscriptions/listen`). */
export type ServerEvent =
  | { type: 'tools/list_changed' }
  | { type: 'prompts/list_changed' }
  | { type: 'resources/list_changed' }
  | { type: 'resources/updated'; uri: string }
  /** A task changed state (io.modelcontextprotocol/tasks); `task` is its DetailedTask. */
  | { type: 'tasks/status'; task: { taskId: string } & Record<string, unknown> };

export type ServerEventListener = (event: ServerEvent) => void;

/** Where a connection hears server events: this process's bus, or one shared by every instance. */
export interface EventSource {
  /** Resolves, once listening, with the function that stops it. */
  subscribe(listener: ServerEventListener): Promise<() => void>;
}

/**
 * The notification a 2025-era session (HTTP GET stream or stdio connection) receives for a server event, or
 * undefined when the event does not concern it: list changes always, resource updates for subscribed URIs.
 */
export function sessionNotification(
  event: ServerEvent,
  subscriptions: readonly string[] | undefined,
): string | undefined {
  switch (event.type) {
    case 'resources/updated':
      return subscriptions?.includes(event.uri)
        ? encodeNotification('notifications/resources/updated', { uri: event.uri })
        : undefined;
    case 'tasks/status':
      // Tasks are a 2026-07-28 extension; their notifications travel on subscriptions/listen only.
      return undefined;
    default:
      return encodeNotification(`notifications/${event.type}`);
  }
}
