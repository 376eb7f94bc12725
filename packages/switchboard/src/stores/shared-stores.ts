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
  /**
   * Connects and checks every store; rejects with `StoreUnavailableError` naming what is down. Each `open()` that
   * resolved is matched by one `close()`: `serve()` opens the stores when it starts and closes them in its own
   * `close()`, and stores you opened yourself (to use the bus before serving) stay open until you close them too.
   */
  open(): Promise<void>;
  /** Matches one `open()`; the last one closes the connections (Redis clients, the PostgreSQL pool). */
  close(): Promise<void>;
  /**
   * Resolves when every store answers now (a Redis `PING`, a PostgreSQL `SELECT 1`), rejects naming the one that
   * does not: `healthRoutes()` runs it on each `/readyz` probe.
   */
  ping?(): Promise<void>;
  /** What the stores are, for the start-up log, e.g. `redis redis://redis:6379/ + tasks in postgres://…`. */
  readonly description?: string;
}
