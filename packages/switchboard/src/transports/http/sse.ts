import type { EventStore } from '../../stores/event-store.js';
import type { StreamWriter } from './exchange.js';
import { keepAlive } from './keep-alive.js';

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // 2026-07-28 transports/streamable-http §Receiving Messages: tell proxies not to buffer the stream.
  'x-accel-buffering': 'no',
});

/** One SSE event; JSON text never contains a raw newline, so one `data:` line carries it. */
export function sseEvent(data: string, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: message\ndata: ${data}\n\n`;
}

/**
 * A logical SSE stream. With an event store every message gets an event id and is kept, so the stream survives
 * its connection: `attach` moves it onto a new connection after a `Last-Event-ID` replay.
 */
export class SseStream {
  readonly id: string;
  readonly #store: EventStore | undefined;
  #writer: StreamWriter | undefined;
  #tail: Promise<void> | undefined;
  #finished = false;
  /** Called once when the stream ends. */
  onEnd: (() => void) | undefined;

  constructor(id: string, writer: StreamWriter | undefined, store: EventStore | undefined) {
    this.id = id;
    this.#writer = writer;
    this.#store = store;
    if (writer !== undefined) keepAlive(writer);
  }

  /** Whether its events carry ids a client can resume from. */
  get resumable(): boolean {
    return this.#store !== undefined;
  }

  get finished(): boolean {
    return this.#finished;
  }

  get connected(): boolean {
    return this.#writer !== undefined && !this.#writer.closed;
  }

  /** The priming event: an id and empty data, so the client can resume from the very start (2025-11-25). */
  prime(retryMs?: number): void {
    if (this.#store === undefined) return;
    this.#enqueue('', retryMs);
  }

  send(message: string): void {
    this.#send(message, false);
  }

  /** Sends the response to the stream's request, then ends the stream: its will is no longer due. */
  answer(message: string): void {
    this.#send(message, true);
    this.end();
  }

  /**
   * The error the client gets on this stream, through any instance that follows it, if this process stops before
   * the stream ends (see `EventStore.will`). Sent to the store ahead of the stream's first event.
   */
  setWill(message: string | undefined): void {
    const set = this.#store?.will?.(this.id, message);
    if (set instanceof Promise) set.catch(() => {});
  }

  #send(message: string, answers: boolean): void {
    if (this.#finished) return;
    if (this.#store === undefined) {
      this.#writer?.write(sseEvent(message));
      return;
    }
    this.#enqueue(message, undefined, answers);
  }

  /**
   * Lets go of the connection, which another one resumed (2025-11-25 transports §Resumability: a stream is resumed
   * on one connection); events go on into the store, where the resumed connection follows them.
   */
  detach(): void {
    this.#writer?.end();
    this.#writer = undefined;
  }

  /**
   * Continues the stream on a new connection from `open`, after replaying what followed `lastEventId`. The replay
   * waits for the appends already queued and holds back later ones, so nothing is missed or sent twice. False, with
   * nothing opened, when the store no longer has what followed the id.
   */
  resume(lastEventId: string, open: () => StreamWriter): Promise<boolean> {
    const store = this.#store as EventStore;
    const replay = async () => {
      const missed: string[] = [];
      const streamId = await store.replayAfter(lastEventId, (eventId, message) =>
        missed.push(sseEvent(message, eventId)),
      );
      if (streamId !== this.id) return false;
      const writer = open();
      for (const event of missed) writer.write(event);
      this.attach(writer);
      return true;
    };
    const outcome = (this.#tail ?? Promise.resolve()).then(replay);
    const tail = outcome.then(
      () => undefined,
      () => undefined,
    );
    this.#tail = tail;
    // Back to the synchronous path once the queue is empty (memory stores write at once).
    void tail.then(() => {
      if (this.#tail === tail) this.#tail = undefined;
    });
    return outcome;
  }

  /** Continues the stream on a new connection (after the caller replayed what was missed). */
  attach(writer: StreamWriter): void {
    this.#writer?.end();
    this.#writer = writer;
    if (this.#finished) writer.end();
    else keepAlive(writer);
  }

  /**
   * Ends the stream: the connection closes once queued events are written, and the store records the end after
   * them, so a connection that resumed the stream elsewhere ends there too.
   */
  end(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.onEnd?.();
    const store = this.#store;
    const close = () => {
      this.#writer?.end();
      // A store that cannot record the end lets followers stop when the stream expires instead.
      const ended = store?.end?.(this.id);
      if (ended instanceof Promise) ended.catch(() => {});
    };
    if (this.#tail === undefined) close();
    else void this.#tail.then(close, close);
  }

  #enqueue(message: string, retryMs: number | undefined, answers = false): void {
    const store = this.#store as EventStore;
    const write = (id: string) =>
      this.#writer?.write(message === '' ? primingEvent(id, retryMs) : sseEvent(message, id));
    if (this.#tail === undefined) {
      const id = store.append(this.id, message, answers);
      if (typeof id === 'string') {
        write(id);
        return;
      }
      this.#tail = id.then(write);
      return;
    }
    this.#tail = this.#tail.then(async () => write(await store.append(this.id, message, answers)));
  }
}

function primingEvent(id: string, retryMs: number | undefined): string {
  return `id: ${id}\n${retryMs === undefined ? '' : `retry: ${retryMs}\n`}data: \n\n`;
}
