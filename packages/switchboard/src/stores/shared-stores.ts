import type { NotificationBus } from './bus.js';
import type { EventStore } from './event-store.js';
import type { SessionStore } from './session-store.js';
import type { TaskStore } from './task-store.js';

/**
 * Every store a server instance needs, shared with the other instances behind a load balancer (`redis()` from
 * `switchboard-mcp/redis`): 2025-era sessions, their SSE events, the bus, and tasks. Passed as the `stores` option;
 * `serve()` opens them before it listens (an unreachable store fails the start with `StoreUnavailableError`), and
 * the HTTP endpoint takes its session and event stores from here unless its own options name others.
 */
export interface SharedStores {
  readonly sessionStore: SessionStore;
  readonly eventStore: EventStore;
  readonly bus: NotificationBus;
  readonly taskStore: TaskStore;
  /** Connects and checks every store (idempotent); rejects with `StoreUnavailableError` naming what is down. */
  open(): Promise<void>;
  /** Closes the connections `open()` made. */
  close(): Promise<void>;
}
