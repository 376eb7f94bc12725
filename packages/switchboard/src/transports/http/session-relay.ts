import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventSource, InstanceEvent } from '../../protocol/events.js';
import type { JsonRpcNotification, JsonRpcResponse } from '../../protocol/messages.js';

type RelayEvent = Extract<InstanceEvent, { type: 'session/relay' }>;
type AckEvent = Extract<InstanceEvent, { type: 'session/relay-ack' }>;

/** How many times within the timeout a relay nobody acknowledged yet is published again. */
const ATTEMPTS = 5;

/**
 * Hands a client's answer or cancellation to the instance that runs the request it names, and says whether that
 * instance took it, so a 202 is only sent for what was delivered.
 *
 * Why request/reply over the bus rather than a durable inbox: only the instance holding the request can take the
 * message, and only while the request waits; an inbox would keep what nobody will read once that instance is gone,
 * and still need a registry of which instance holds which request. Here the owner acknowledges, the sender publishes
 * again until it does (pub/sub drops what arrives while the owner reconnects), and when no acknowledgement comes
 * within the timeout no instance holds the request any more: the client hears so instead of a 202. The owner
 * remembers recent relay ids, so a message published twice is delivered once and acknowledged each time.
 */
export class SessionRelay {
  readonly #bus: EventSource;
  readonly #origin: string;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  /** Relays this process sent and waits on, by relay id. */
  readonly #waiting = new Map<string, () => void>();
  /** Relays this process delivered, by relay id, with when; oldest first. */
  readonly #delivered = new Map<string, number>();

  constructor(bus: EventSource, origin: string, timeoutMs: number, logger: Logger) {
    this.#bus = bus;
    this.#origin = origin;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
  }

  /**
   * Resolves true once an instance took the message, false when none did within the timeout; rejects with the bus's
   * error when it could not be published even once.
   */
  send(sessionId: string, message: JsonRpcResponse | JsonRpcNotification): Promise<boolean> {
    const publish = this.#bus.publish?.bind(this.#bus);
    if (publish === undefined) return Promise.resolve(false);
    const relayId = randomUUID();
    const event: RelayEvent = { type: 'session/relay', sessionId, message, relayId, from: this.#origin };
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

  /** A relay heard on the bus: `deliver` hands it to a request here and says whether one took it. */
  received(event: RelayEvent, deliver: () => boolean): void {
    if (!this.#delivered.has(event.relayId)) {
      if (!deliver()) return;
      this.#remember(event.relayId);
    }
    const ack: AckEvent = { type: 'session/relay-ack', relayId: event.relayId, to: event.from };
    this.#bus.publish?.(ack).catch((error: unknown) => {
      // The sender publishes again until it hears an acknowledgement, and is acknowledged then.
      this.#logger.warn({ err: error }, 'could not acknowledge a relayed session message');
    });
  }

  acknowledged(event: AckEvent): void {
    if (event.to === this.#origin) this.#waiting.get(event.relayId)?.();
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
