import { encodeNotification } from './jsonrpc.js';
import type { JsonRpcNotification, JsonRpcResponse, Params } from './messages.js';

/** A change clients may subscribe to (2025-era GET stream, 2026-era `subscriptions/listen`). */
export type ServerEvent =
  | { type: 'tools/list_changed' }
  | { type: 'prompts/list_changed' }
  | { type: 'resources/list_changed' }
  | { type: 'resources/updated'; uri: string }
  /** A task changed state (io.modelcontextprotocol/tasks); `task` is its DetailedTask. */
  | { type: 'tasks/status'; task: { taskId: string } & Record<string, unknown> }
  | InstanceEvent;

/**
 * What instances behind one load balancer tell each other over the bus; never sent to a client. A 2025-era
 * client's POSTed answer to a server-to-client request, or its `notifications/cancelled`, may land on an instance
 * other than the one running the call (`session/relay`); a session's state changed elsewhere (`session/changed`:
 * holders reload it, so a subscription made through one instance reaches a GET stream on another); answers for a
 * task that another instance runs (`tasks/input`, acknowledged like `session/relay`); a client resumed one of a session's streams on the instance
 * `origin` names (`stream/resumed`: any other connection to that stream is closed).
 */
export type InstanceEvent =
  /** `from` names the sending process and `relayId` this relay, which the instance that took it acknowledges. */
  | {
      type: 'session/relay';
      sessionId: string;
      message: JsonRpcResponse | JsonRpcNotification;
      relayId: string;
      from: string;
    }
  | { type: 'session/relay-ack'; relayId: string; to: string }
  /** `origin` names the publishing process, which already holds the new state. */
  | { type: 'session/changed'; sessionId: string; origin: string }
  | { type: 'tasks/input'; taskId: string; responses: Params; relayId: string; from: string }
  | { type: 'tasks/input-ack'; relayId: string; to: string }
  | { type: 'stream/resumed'; sessionId: string; streamId: string; origin: string };

/** Whether an event is instance-to-instance traffic rather than something clients may hear of. */
export function isInstanceEvent(event: ServerEvent): event is InstanceEvent {
  return (
    event.type === 'session/relay' ||
    event.type === 'session/relay-ack' ||
    event.type === 'session/changed' ||
    event.type === 'tasks/input' ||
    event.type === 'tasks/input-ack' ||
    event.type === 'stream/resumed'
  );
}

export type ServerEventListener = (event: ServerEvent) => void;

/** Where a connection hears server events: this process's bus, or one shared by every instance. */
export interface EventSource {
  /** Resolves, once listening, with the function that stops it. */
  subscribe(listener: ServerEventListener): Promise<() => void>;
  /** Sends an event to every listener (on every instance, with a shared bus); rejects when it could not be sent. */
  publish?(event: ServerEvent): Promise<void>;
  /**
   * True when no other process listens and `publish` has run every listener by the time it resolves (`MemoryBus`):
   * an event nobody answered during `publish` will never be answered.
   */
  readonly local?: boolean;
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
    case 'session/relay':
    case 'session/relay-ack':
    case 'session/changed':
    case 'tasks/input':
    case 'tasks/input-ack':
    case 'stream/resumed':
      return undefined;
    default:
      return encodeNotification(`notifications/${event.type}`);
  }
}
