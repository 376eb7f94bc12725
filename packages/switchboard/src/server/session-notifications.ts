import { encodeNotification } from '../protocol/jsonrpc.js';
import type { ServerEvent } from '../stores/bus.js';

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
