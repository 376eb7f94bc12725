import type { Redis } from 'ioredis';
import { StoreUnavailableError } from '../../protocol/errors.js';
import type { Database } from '../../sql/database.js';
import { openDatabase } from '../../sql/database.js';
import type { NotificationBus, ServerEvent, ServerEventListener } from '../bus.js';
import type { EventStore } from '../event-store.js';
import { PostgresTaskStore } from '../postgres/postgres-task-store.js';
import type { SessionStore } from '../session-store.js';
import type { SharedStores } from '../shared-stores.js';
import type { TaskStore } from '../task-store.js';
import { MemoryTaskStore } from '../task-store.js';
import { checkRedis, createRedisClient, redact } from './connect.js';
import { RedisBus } from './redis-bus.js';
import { RedisEventStore } from './redis-event-store.js';
import { RedisSessionStore } from './redis-session-store.js';
import { reportingUnavailable } from './unavailable.js';

export interface SharedStoresOptions {
  /**
   * PostgreSQL for tasks (a `postgres://` URL or an open `Database`), so any instance can answer for a task and it
   * outlives its process. Without it tasks stay in each process's memory (and `open()` logs nothing: say so in
   * your deployment).
   */
  database?: string | Database;
  /** Key prefix and bus channel shared by the instances of one server (default `switchboard:`). */
  prefix?: string;
  /** Idle time after which a 2025-era session is forgotten (default 30 minutes). */
  sessionIdleMs?: number;
  /** Bounds of the SSE event store (see `RedisEventStoreOptions`). */
  maxEventsPerStream?: number;
  streamTtlMs?: number;
  maxEventBytes?: number;
  /** How often followed streams are checked, and how long an instance's liveness lease lasts (see `RedisEventStoreOptions`). */
  followCheckMs?: number;
  instanceLeaseMs?: number;
  /** How long the first connection may take before start-up fails (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * Shared stores for several instances behind a load balancer: sessions, SSE events and the bus in Redis at `url`,
 * tasks in PostgreSQL (`database`). Pass the result as the server's `stores` option; nothing connects until
 * `open()`, which `serve()` calls before listening.
 */
export function redis(url: string, options: SharedStoresOptions = {}): SharedStores {
  return new RedisSharedStores(url, options);
}

/**
 * `redis(REDIS_URL, { database: DATABASE_URL })` when `REDIS_URL` is set, otherwise undefined (memory stores):
 * the same code runs as one process in development and as several instances in production.
 */
export function storesFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: Omit<SharedStoresOptions, 'database'> = {},
): SharedStores | undefined {
  const url = env.REDIS_URL || undefined;
  if (url === undefined) return undefined;
  return redis(url, { ...options, database: env.DATABASE_URL || undefined });
}

class RedisSharedStores implements SharedStores {
  readonly #url: string;
  readonly #options: SharedStoresOptions;
  readonly #tasks = new DeferredTaskStore();
  readonly #deferredBus = new DeferredBus();
  #redis: Redis | undefined;
  #db: Database | undefined;
  #sessionStore: SessionStore | undefined;
  #eventStore: EventStore | undefined;
  #bus: NotificationBus | undefined;
  #opening: Promise<void> | undefined;
  /** Open `open()` calls not yet matched by `close()`: the connections end with the last of them. */
  #users = 0;

  constructor(url: string, options: SharedStoresOptions) {
    this.#url = url;
    this.#options = options;
  }

  get description(): string {
    const database = this.#options.database;
    const tasks =
      database === undefined
        ? "tasks in this process's memory"
        : typeof database === 'string'
          ? `tasks in PostgreSQL at ${redact(database)}`
          : 'tasks in the database passed in';
    return `sessions, events and bus in Redis at ${redact(this.#url)}; ${tasks}`;
  }

  get sessionStore(): SessionStore {
    return this.#opened(this.#sessionStore);
  }
  get eventStore(): EventStore {
    return this.#opened(this.#eventStore);
  }
  get bus(): NotificationBus {
    return this.#deferredBus;
  }
  get taskStore(): TaskStore {
    return this.#tasks;
  }

  async open(): Promise<void> {
    this.#opening ??= this.#open().catch((error: unknown) => {
      this.#opening = undefined;
      throw error;
    });
    await this.#opening;
    this.#users++;
  }

  async #open(): Promise<void> {
    const prefix = this.#options.prefix ?? 'switchboard:';
    const redis = await createRedisClient(this.#url, {
      connectTimeoutMs: this.#options.connectTimeoutMs,
      name: 'switchboard',
    });
    await checkRedis(redis, this.#url);
    const taskStore = await this.#openTasks().catch((error: unknown) => {
      redis.disconnect();
      throw error;
    });
    this.#redis = redis;
    this.#sessionStore = reportingUnavailable(
      new RedisSessionStore(redis, { prefix, idleTtlMs: this.#options.sessionIdleMs }),
      'The session store (Redis)',
    );
    this.#eventStore = reportingUnavailable(
      new RedisEventStore(redis, {
        prefix,
        maxEventsPerStream: this.#options.maxEventsPerStream,
        streamTtlMs: this.#options.streamTtlMs,
        maxBytes: this.#options.maxEventBytes,
        followCheckMs: this.#options.followCheckMs,
        instanceLeaseMs: this.#options.instanceLeaseMs,
      }),
      'The event store (Redis)',
    );
    this.#bus = reportingUnavailable(new RedisBus(redis, { channel: `${prefix}events` }), 'The bus (Redis)');
    this.#tasks.inner = taskStore;
    this.#deferredBus.inner = this.#bus;
  }

  async #openTasks(): Promise<TaskStore> {
    const database = this.#options.database;
    if (database === undefined) return new MemoryTaskStore();
    if (typeof database !== 'string') return PostgresTaskStore.open(database);
    let db: Database;
    try {
      db = await openDatabase({ url: database, connectTimeoutMs: this.#options.connectTimeoutMs });
    } catch (error) {
      throw new StoreUnavailableError(`Cannot reach PostgreSQL at ${redact(database)}: ${(error as Error).message}`);
    }
    this.#db = db;
    try {
      return await PostgresTaskStore.open(db);
    } catch (error) {
      await db.close();
      this.#db = undefined;
      throw error;
    }
  }

  async ping(): Promise<void> {
    const redis = this.#opened(this.#redis);
    await redis.ping().catch((error: unknown) => {
      throw new StoreUnavailableError(`Redis at ${redact(this.#url)} does not answer: ${(error as Error).message}`);
    });
    const db = this.#db ?? (typeof this.#options.database === 'object' ? this.#options.database : undefined);
    await db?.query('select 1').catch((error: unknown) => {
      throw new StoreUnavailableError(`PostgreSQL does not answer: ${(error as Error).message}`);
    });
  }

  async close(): Promise<void> {
    await this.#opening?.catch(() => {});
    if (this.#users > 1) {
      this.#users--;
      return;
    }
    this.#users = 0;
    await this.#bus?.close?.();
    await this.#eventStore?.close?.();
    this.#redis?.disconnect();
    await this.#db?.close();
    this.#opening = undefined;
    this.#tasks.inner = this.#deferredBus.inner = undefined;
    this.#redis = this.#db = this.#sessionStore = this.#eventStore = this.#bus = undefined;
  }

  #opened<S>(store: S | undefined): S {
    if (store === undefined)
      throw new StoreUnavailableError('The shared stores are not open yet: serve() opens them, or call open()');
    return store;
  }
}

/** The task store `open()` chooses, reachable before then (the server is built before it starts). */
class DeferredTaskStore implements TaskStore {
  inner: TaskStore | undefined;

  #store(): TaskStore {
    if (this.inner === undefined)
      throw new StoreUnavailableError('The task store is not open yet: serve() opens the shared stores');
    return this.inner;
  }
  create(...args: Parameters<TaskStore['create']>) {
    return this.#store().create(...args);
  }
  get(...args: Parameters<TaskStore['get']>) {
    return this.#store().get(...args);
  }
  update(...args: Parameters<TaskStore['update']>) {
    return this.#store().update(...args);
  }
  renewLeases(...args: Parameters<TaskStore['renewLeases']>) {
    return this.#store().renewLeases(...args);
  }
  failExpired(...args: Parameters<TaskStore['failExpired']>) {
    return this.#store().failExpired(...args);
  }
  countActive(...args: Parameters<TaskStore['countActive']>) {
    return this.#store().countActive(...args);
  }
}

/**
 * The bus `open()` connects, reachable before then: the server is built (and its tools registered, which announces
 * list changes) before it starts. Before `open()` there is no other instance to tell, so publishing does nothing.
 */
class DeferredBus implements NotificationBus {
  inner: NotificationBus | undefined;

  async publish(event: ServerEvent): Promise<void> {
    await this.inner?.publish(event);
  }
  subscribe(listener: ServerEventListener): Promise<() => void> {
    if (this.inner === undefined)
      return Promise.reject(new StoreUnavailableError('The bus is not open yet: serve() opens the shared stores'));
    return this.inner.subscribe(listener);
  }
}
