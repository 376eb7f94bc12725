/** A change clients may subscribe to (2025-era GET stream, 2026-era `subscriptions/listen`). */
export type ServerEvent =
  | { type: 'tools/list_changed' }
  | { type: 'prompts/list_changed' }
  | { type: 'resources/list_changed' }
  | { type: 'resources/updated'; uri: string }
  /** A task changed state (io.modelcontextprotocol/tasks); `task` is its DetailedTask. */
  | { type: 'tasks/status'; task: { taskId: string } & Record<string, unknown> };

export type ServerEventListener = (event: ServerEvent) => void;

/**
 * Carries server events to every listener that cares, in this process or (with a shared implementation such
 * as Redis) on every instance behind the load balancer.
 */
export interface NotificationBus {
  publish(event: ServerEvent): void;
  /** Returns the function that stops the subscription. */
  subscribe(listener: ServerEventListener): () => void;
  close?(): Promise<void>;
}

/** The default bus: listeners in this process. */
export class MemoryBus implements NotificationBus {
  readonly #listeners = new Set<ServerEventListener>();

  publish(event: ServerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  subscribe(listener: ServerEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
