import type { EventSource, ServerEvent, ServerEventListener } from '../protocol/events.js';

export type { ServerEvent, ServerEventListener };

/**
 * Carries server events to every listener that cares, in this process or (with a shared implementation such
 * as Redis) on every instance behind the load balancer.
 */
export interface NotificationBus extends EventSource {
  /** Delivers `event` to every listener (a shared bus: on every instance); rejects when it could not be sent. */
  publish(event: ServerEvent): Promise<void>;
  /** Resolves, once listening, with the function that stops the subscription. */
  subscribe(listener: ServerEventListener): Promise<() => void>;
  close?(): Promise<void>;
}

/** The default bus: listeners in this process. */
export class MemoryBus implements NotificationBus {
  readonly local = true;
  readonly #listeners = new Set<ServerEventListener>();

  async publish(event: ServerEvent): Promise<void> {
    for (const listener of this.#listeners) listener(event);
  }

  async subscribe(listener: ServerEventListener): Promise<() => void> {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
