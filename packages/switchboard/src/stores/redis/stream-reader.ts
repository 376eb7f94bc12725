import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { compareEntryIds } from './entry-id.js';

/** One follower of one Redis stream, as the shared reader sees it. */
export interface StreamSubscription {
  /** The Redis key of the stream. */
  readonly key: string;
  /** The last entry handed over; the next one read comes after it. */
  cursor: string;
  /** Hands one entry over; false when it ended the follow (the stream's end marker). */
  entry(id: string, fields: string[]): boolean;
  /** The follow is over without an end marker (the stream is gone, or the reader lost its connection). */
  end(): void;
}

export interface SharedStreamReaderOptions {
  /** Prefix of the reader's wake-up key. */
  prefix: string;
  /** Shown in `CLIENT LIST` for the reader's connection. */
  connectionName: string;
  /** Longest a blocking read waits; at least this often `check` runs while anything is followed. */
  checkMs: number;
  /**
   * Runs with the keys followed, when a read waited `checkMs`: returns those to end (their stream is gone). A stream
   * it ended itself (an end marker it wrote) is read as usual on the next round.
   */
  check(keys: string[]): Promise<Set<string>>;
}

type XReadReply = [string, [string, string[]][]][] | null;

/**
 * Reads every followed stream of one process on one connection: a single blocking XREAD over all of them, whose
 * entries go to their followers. A follower added or removed wakes the read through an entry in the reader's own
 * wake-up stream, which every read also waits on from the last wake-up it saw; unlike `CLIENT UNBLOCK` sent while
 * the read is still on its way, a wake-up written before the read arrives is not lost. Losing the connection ends
 * every follow (each client resumes again). The connection is open only while something is followed.
 */
export class SharedStreamReader {
  readonly #main: Redis;
  readonly #options: SharedStreamReaderOptions;
  readonly #wakeKey: string;
  readonly #subscriptions = new Map<string, Set<StreamSubscription>>();
  #connection: Redis | undefined;
  #wakeCursor = '0-0';
  #running = false;
  #wakePending = false;
  /** Counts lost connections: a read sent before one hands nothing to the followers added after it. */
  #generation = 0;
  #lastCheck = Date.now();
  #closed = false;

  constructor(main: Redis, options: SharedStreamReaderOptions) {
    this.#main = main;
    this.#options = options;
    this.#wakeKey = `${options.prefix}reader-wake:${randomBytes(9).toString('base64url')}`;
  }

  /** Streams followed right now (a stream followed by several connections counts once). */
  get streams(): number {
    return this.#subscriptions.size;
  }

  /** Starts handing the stream's entries after `subscription.cursor` over; the returned function stops it. */
  add(subscription: StreamSubscription): () => void {
    if (this.#closed) {
      subscription.end();
      return () => {};
    }
    let set = this.#subscriptions.get(subscription.key);
    if (set === undefined) {
      set = new Set();
      this.#subscriptions.set(subscription.key, set);
    }
    set.add(subscription);
    this.#wake();
    return () => {
      if (!this.#remove(subscription)) return;
      this.#wake();
    };
  }

  /** Ends every follow and closes the connection (the store is closing). */
  close(): void {
    this.#closed = true;
    this.#endAll();
    this.#disconnect();
    this.#main.del(this.#wakeKey).catch(() => {});
  }

  #disconnect(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.disconnect();
  }

  #remove(subscription: StreamSubscription): boolean {
    const set = this.#subscriptions.get(subscription.key);
    if (set === undefined || !set.delete(subscription)) return false;
    if (set.size === 0) this.#subscriptions.delete(subscription.key);
    return true;
  }

  /** Starts the read loop, or (once per turn of the event loop) makes the blocked read return and start over. */
  #wake(): void {
    if (!this.#running) {
      this.#running = true;
      void this.#run();
      return;
    }
    if (this.#wakePending) return;
    this.#wakePending = true;
    queueMicrotask(() => {
      this.#wakePending = false;
      if (!this.#running) return;
      this.#main
        .multi()
        .xadd(this.#wakeKey, 'MAXLEN', '1', '*', 'w', '1')
        .pexpire(this.#wakeKey, 86_400_000)
        .exec()
        // Unreachable Redis: the read fails too, which ends the follows.
        .catch(() => {});
    });
  }

  #reader(): Redis {
    if (this.#connection !== undefined) return this.#connection;
    const connection = this.#main.duplicate({ connectionName: this.#options.connectionName });
    connection.on('error', () => {});
    // A read in flight when the connection drops may be sent again after the reconnect; whatever it returns, the
    // followers it served are already ended here and resume on their own.
    connection.on('close', () => {
      // Closed on purpose (nothing left to follow, or the store closed): nothing of its to end.
      if (this.#connection !== connection) return;
      this.#generation++;
      this.#endAll();
    });
    this.#connection = connection;
    return connection;
  }

  async #run(): Promise<void> {
    try {
      while (this.#subscriptions.size > 0 && !this.#closed) {
        const generation = this.#generation;
        const keys = [...this.#subscriptions.keys()];
        const cursors = keys.map((key) => this.#oldestCursor(key));
        let reply: XReadReply;
        try {
          reply = (await this.#reader().xread(
            'BLOCK',
            this.#options.checkMs,
            'STREAMS',
            this.#wakeKey,
            ...keys,
            this.#wakeCursor,
            ...cursors,
          )) as XReadReply;
        } catch {
          this.#endAll();
          return;
        }
        if (generation !== this.#generation) continue;
        for (const [key, entries] of reply ?? []) {
          if (key === this.#wakeKey) this.#wakeCursor = entries.at(-1)?.[0] ?? this.#wakeCursor;
          else this.#dispatch(key, entries);
        }
        if (Date.now() - this.#lastCheck >= this.#options.checkMs) await this.#check();
      }
    } finally {
      this.#running = false;
      if (this.#subscriptions.size > 0 && !this.#closed) {
        // A follower added while the loop was ending would otherwise wait for a loop nobody runs.
        this.#wake();
      } else {
        // Nothing to follow: the connection goes too, so an idle store holds no socket open (the next follow opens
        // another). The store is still the only one that ever holds one.
        this.#disconnect();
      }
    }
  }

  /** The read of a stream starts after the oldest cursor among its followers; each skips what it already had. */
  #oldestCursor(key: string): string {
    let oldest: string | undefined;
    for (const subscription of this.#subscriptions.get(key) ?? []) {
      if (oldest === undefined || compareEntryIds(subscription.cursor, oldest) < 0) oldest = subscription.cursor;
    }
    return oldest ?? '$';
  }

  #dispatch(key: string, entries: [string, string[]][]): void {
    for (const subscription of [...(this.#subscriptions.get(key) ?? [])]) {
      for (const [id, fields] of entries) {
        if (compareEntryIds(id, subscription.cursor) <= 0) continue;
        subscription.cursor = id;
        if (!subscription.entry(id, fields)) {
          this.#remove(subscription);
          break;
        }
      }
    }
  }

  async #check(): Promise<void> {
    this.#lastCheck = Date.now();
    let over: Set<string>;
    try {
      over = await this.#options.check([...this.#subscriptions.keys()]);
    } catch {
      // Redis unreachable: the next read fails too, or the next check tries again.
      return;
    }
    for (const key of over) {
      const set = this.#subscriptions.get(key);
      this.#subscriptions.delete(key);
      for (const subscription of set ?? []) subscription.end();
    }
  }

  #endAll(): void {
    const all = [...this.#subscriptions.values()];
    this.#subscriptions.clear();
    for (const set of all) for (const subscription of set) subscription.end();
  }
}
