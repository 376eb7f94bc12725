import type { Redis } from 'ioredis';
import type { ServerEvent, ServerEventListener } from '../../protocol/events.js';
import type { NotificationBus } from '../bus.js';

/**
 * Relayed messages can carry a client's request id past 2^53, which the protocol layer keeps as a `bigint`; JSON has
 * no such type, so on the bus one is written as `{"\u0000bigint": "<digits>"}` and read back as the same bigint.
 */
const BIGINT_KEY = '\u0000bigint';

function replaceBigInt(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { [BIGINT_KEY]: value.toString() } : value;
}

function reviveBigInt(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const digits = (value as Record<string, unknown>)[BIGINT_KEY];
  return typeof digits === 'string' && Object.keys(value).length === 1 ? BigInt(digits) : value;
}

export interface RedisBusOptions {
  /** The pub/sub channel every instance of one server shares (default `switchboard:events`). */
  channel?: string;
}

/**
 * Server events on Redis pub/sub, so a list change or resource update published on any instance reaches the
 * sessions and `subscriptions/listen` streams of every instance. Listening uses a connection of its own (a
 * subscribed Redis connection can do nothing else), which ioredis reconnects and re-subscribes by itself; events
 * published while an instance is cut off are not replayed to it (pub/sub keeps nothing).
 */
export class RedisBus implements NotificationBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #listeners = new Set<ServerEventListener>();
  #subscribed: Promise<unknown> | undefined;

  constructor(redis: Redis, options: RedisBusOptions = {}) {
    this.#publisher = redis;
    this.#subscriber = redis.duplicate();
    this.#subscriber.on('error', () => {});
    this.#channel = options.channel ?? 'switchboard:events';
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      const event = JSON.parse(message, reviveBigInt) as ServerEvent;
      for (const listener of this.#listeners) listener(event);
    });
  }

  async publish(event: ServerEvent): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(event, replaceBigInt));
  }

  async subscribe(listener: ServerEventListener): Promise<() => void> {
    this.#subscribed ??= this.#subscriber.subscribe(this.#channel);
    try {
      await this.#subscribed;
    } catch (error) {
      this.#subscribed = undefined;
      throw error;
    }
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Closes the listening connection (the publishing one belongs to whoever passed it in). */
  async close(): Promise<void> {
    this.#listeners.clear();
    this.#subscriber.disconnect();
  }
}
