import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventSource, InstanceEvent } from './events.js';

/** What one instance hands to the instance that holds what it names, and waits to hear acknowledged. */
export type RelayedEvent = Extract<InstanceEvent, { relayId: string; from: string }>;
type AckEvent = Extract<InstanceEvent, { relayId: string; to: string }>;
type Relayed<T extends RelayedEvent['type']> = Extract<RelayedEvent, { type: T }>;
/** A relay as its sender writes it; the relay adds its type, id and sender. */
export type RelayBody<T extends RelayedEvent['type']> = Omit<Relayed<T>, 'type' | 'relayId' | 'from'>;

/** The acknowledgement each kind of relay is answered with. */
const ACK_OF = {
  'session/relay': 'session/relay-ack',
  'tasks/input': 'tasks/input-ack',
} as const satisfies Record<RelayedEvent['type'], AckEvent['type']>;

/** How many times within the timeout a relay nobody acknowledged yet is published again. */
const ATTEMPTS = 5;

/**
 * Hands a message to the one instance that holds what it names (a 2025-era client's answer or cancellation to the
 * instance running the request; a task's input to the instance running the task), and says whether that instance
 * took it, so the client is told of success only for what was delivered.
 *
 * Why request/reply over the bus rather than a durable inbox: only the instance holding the request or task can take
 * the message, and only while it waits; an inbox would keep what nobody will read once that instance is gone, and
 * still need to wake its owner. Here the owner acknowledges, the sender publishes again until it does (pub/sub drops
 * what arrives while the owner reconnects), and when no acknowledgement comes within the timeout no instance holds
 * it any more: the client hears so instead of a success. The owner remembers recent relay ids, so a message
 * published twice is delivered once and acknowledged each time.
 */
export class BusRelay<T extends RelayedEvent['type']> {
  readonly #bus: EventSource;
  readonly #type: T;
  readonly #origin: string;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  /** Relays this process sent and waits on, by relay id. */
  readonly #waiting = new Map<string, () => void>();
  /** Relays this process delivered, by relay id, with when; oldest first. */
  readonly #delivered = new Map<string, number>();

  /** `origin` names this process in the relays it sends, so acknowledgements come back to it. */
  constructor(bus: EventSource, type: T, origin: string, timeoutMs: number, logger: Logger) {
    this.#bus = bus;
    this.#type = type;
    this.#origin = origin;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
  }

  /**
   * Resolves true once an instance took the message, false when none did within the timeout; rejects with the bus's
   * error when it could not be published even once.
   */
  send(body: RelayBody<T>): Promise<boolean> {
    const publish = this.#bus.publish?.bind(this.#bus);
    if (publish === undefined) return Promise.resolve(false);
    const relayId = randomUUID();
    const event = { ...body, type: this.#type, relayId, from: this.#origin } as Relayed<T>;
    return new Promise<boolean>((resolve, reject) => {
      let published = false;
      let failure: unknown;
      let retry: NodeJS.Timeout | undefined;
      const finish = (taken: boolean) => {
        if (!this.#waiting.delete(relayId)) return;
        clearTimeout(deadline);
        clearTimeout(retry);
        if (!taken && !published && failure !== undefined) reject(failure);
        else resolve(taken);
      };
      const deadline = setTimeout(() => finish(false), this.#timeoutMs);
      this.#waiting.set(relayId, () => finish(true));
      const attempt = async () => {
        try {
          await publish(event);
          published = true;
        } catch (error) {
          failure = error;
        }
        if (!this.#waiting.has(relayId)) return;
        if (published && this.#bus.local) return finish(false);
        retry = setTimeout(attempt, this.#timeoutMs / ATTEMPTS);
      };
      void attempt();
    });
  }

  /** A relay heard on the bus: `deliver` hands it to what waits here and says whether anything took it. */
  received(event: Relayed<T>, deliver: () => boolean): void {
    if (!this.#delivered.has(event.relayId)) {
      if (!deliver()) return;
      this.#remember(event.relayId);
    }
    const ack = { type: ACK_OF[this.#type], relayId: event.relayId, to: event.from } as AckEvent;
    this.#bus.publish?.(ack).catch((error: unknown) => {
      // The sender publishes again until it hears an acknowledgement, and is acknowledged then.
      this.#logger.warn({ err: error, relay: this.#type }, 'could not acknowledge a relayed message');
    });
  }

  /** An acknowledgement heard on the bus; it settles `send` when it answers a relay of this kind sent from here. */
  acknowledged(event: AckEvent): void {
    if (event.type === ACK_OF[this.#type] && event.to === this.#origin) this.#waiting.get(event.relayId)?.();
  }

  /** Remembers a delivered relay long enough to acknowledge any repeat of it, and no longer. */
  #remember(relayId: string): void {
    const now = Date.now();
    for (const [id, at] of this.#delivered) {
      if (now - at <= this.#timeoutMs * 2) break;
      this.#delivered.delete(id);
    }
    this.#delivered.set(relayId, now);
  }
}
