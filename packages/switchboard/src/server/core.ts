import type { Logger } from 'pino';
import { createLogger } from '../logger.js';
import type { ClientLimits, ResolvedClientLimits } from '../protocol/limits.js';
import { resolveClientLimits } from '../protocol/limits.js';
import type { CacheHints, Icon, Implementation, Params, ServerCapabilities } from '../protocol/messages.js';
import type { Interceptor } from '../protocol/method-table.js';
import type { StateSecret } from '../protocol/request-state.js';
import { RequestStateCodec } from '../protocol/request-state.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../protocol/untrusted.js';
import type { NotificationBus, ServerEvent } from '../stores/bus.js';
import { MemoryBus } from '../stores/bus.js';
import { processStores } from '../stores/process-stores.js';
import type { SharedStores } from '../stores/shared-stores.js';
import type { ClientNotification, ListFilter, Middleware, NotificationHook, Use } from './middleware/types.js';
import type { CompiledPrompt } from './prompt.js';
import { Registry } from './registry.js';
import type { RequestContext } from './request-context.js';
import type { CompiledResource, CompiledTemplate } from './resource.js';
import type { TaskStoreOptions } from './tasks/task-manager.js';
import { TASKS_EXTENSION, TaskManager } from './tasks/task-manager.js';
import type { CompiledTool } from './tool.js';

export interface SwitchboardOptions {
  /** Programmatic server name, sent as `serverInfo.name`. */
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
  /** Guidance for the model on how to use this server. */
  instructions?: string;
  /** Items per page of every list (default 100). */
  pageSize?: number;
  /** Caching hints for list results and discovery (2026-07-28; default 60 s, `public`). */
  listCache?: Partial<CacheHints>;
  /** Caching hints for `resources/read` (default 0 ms, `private`). */
  readCache?: Partial<CacheHints>;
  /**
   * Key that signs MRTR `requestState` (at least 32 bytes). Set the same value on every instance behind a load
   * balancer; by default each process makes a random one. To rotate, pass `[newKey, oldKey]`: the first signs,
   * both verify until the old states have expired (`requestStateTtlMs`).
   */
  stateSecret?: StateSecret;
  /** How long a `requestState` stays valid (default 10 minutes). */
  requestStateTtlMs?: number;
  /** The server's own structured logger (default: pino on stderr). */
  logger?: Logger;
  /** Where change notifications travel (default: in this process, or the shared stores' bus). */
  bus?: NotificationBus;
  /**
   * Stores shared by every instance behind a load balancer, e.g. `redis(url, { database })` from
   * `switchboard-mcp/redis`: 2025-era sessions, SSE events and the bus in Redis, tasks in PostgreSQL. `serve()`
   * opens them before listening. `bus`, `tasks.store` and the HTTP options' stores still override their part.
   * Without it, a server run by `switchboard run --shared-stores` takes the stores the CLI made from `REDIS_URL`
   * and `DATABASE_URL`.
   */
  stores?: SharedStores;
  /** Where tasks (tools declared with `task`) live, their lifetime, polling interval and lease. */
  tasks?: TaskStoreOptions;
  /** Bounds on what one client can make the server keep: session state, subscriptions, pending questions. */
  limits?: ClientLimits;
  /**
   * Extensions this server supports, by id, with their settings (e.g. `{ 'io.modelcontextprotocol/ui': {} }`):
   * advertised as `capabilities.extensions` in `initialize` and `server/discover`.
   */
  extensions?: Record<string, Params>;
}

/** The server's shared state: registries, identity, bus. Method implementations read it; the public API writes it. */
export class ServerCore {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  readonly pageSize: number;
  readonly listCache: CacheHints;
  readonly readCache: CacheHints;
  readonly logger: Logger;
  readonly bus: NotificationBus;
  readonly stores: SharedStores | undefined;
  readonly codec: RequestStateCodec;
  readonly capabilities: ServerCapabilities;
  /** What `server/discover` advertises: the capabilities plus the extensions served to 2026-07-28 clients. */
  readonly discoverCapabilities: ServerCapabilities;
  readonly tasks: TaskManager;
  readonly limits: ResolvedClientLimits;
  readonly tools: Registry<CompiledTool>;
  readonly prompts: Registry<CompiledPrompt>;
  readonly resources: Registry<CompiledResource>;
  readonly templates: Registry<CompiledTemplate>;
  readonly middlewares: Middleware[] = [];
  readonly listFilters: ListFilter[] = [];
  readonly notificationHooks: NotificationHook[] = [];
  /** The middleware chain the engine runs, once there is a middleware (`Switchboard.use` builds it); read per request. */
  readonly interceptor: { current: Interceptor<RequestContext> | undefined } = { current: undefined };
  readonly #closing: Promise<void>;
  #close!: () => void;
  #closed = false;

  constructor(options: SwitchboardOptions) {
    const info: Implementation = { name: options.name, version: options.version };
    if (options.title !== undefined) info.title = options.title;
    if (options.description !== undefined) info.description = options.description;
    if (options.websiteUrl !== undefined) info.websiteUrl = options.websiteUrl;
    if (options.icons !== undefined) info.icons = options.icons;
    this.info = info;
    this.instructions = options.instructions;
    this.pageSize = options.pageSize ?? 100;
    this.listCache = { ttlMs: 60_000, cacheScope: 'public', ...options.listCache };
    this.readCache = { ttlMs: 0, cacheScope: 'private', ...options.readCache };
    this.logger = options.logger ?? createLogger(options.name);
    // `switchboard run --shared-stores` sets process-wide stores before the entry builds its server.
    const stores = options.stores ?? processStores();
    this.stores = stores;
    this.bus = options.bus ?? stores?.bus ?? new MemoryBus();
    this.codec = new RequestStateCodec(options.stateSecret, options.requestStateTtlMs ?? 600_000);
    const extensions = options.extensions ?? {};
    this.capabilities = {
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      completions: {},
      logging: {},
      ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    } as ServerCapabilities;
    this.discoverCapabilities = {
      ...this.capabilities,
      extensions: { ...extensions, [TASKS_EXTENSION]: {} },
    } as ServerCapabilities;
    this.limits = resolveClientLimits(options.limits);
    this.tasks = new TaskManager(
      { store: stores?.taskStore, ...options.tasks },
      (task) => this.publish({ type: 'tasks/status', task: task as never }),
      this.logger,
      this.bus,
    );
    this.tools = new Registry('tool', () => void this.publish({ type: 'tools/list_changed' }));
    this.prompts = new Registry('prompt', () => void this.publish({ type: 'prompts/list_changed' }));
    const resourcesChanged = () => void this.publish({ type: 'resources/list_changed' });
    this.resources = new Registry('resource', resourcesChanged);
    this.templates = new Registry('resource template', resourcesChanged);
    this.#closing = new Promise((resolve) => {
      this.#close = resolve;
    });
  }

  /**
   * Sends an event to every listening client. A bus that cannot deliver (a shared one, briefly unreachable) is logged
   * and the caller goes on: a lost list-change notification must not fail the registration that caused it.
   */
  async publish(event: ServerEvent): Promise<void> {
    try {
      await this.bus.publish(event);
    } catch (error) {
      this.logger.error({ err: error, event: event.type }, 'could not publish a server event');
    }
  }

  /** Registers what `server.use()` was given, in order. */
  use(entry: Use): void {
    if (typeof entry === 'function') {
      this.middlewares.push(entry);
    } else if (entry.kind === 'list-filter') {
      this.listFilters.push(entry.filter);
    } else {
      this.notificationHooks.push(entry.hook);
    }
  }

  /** Runs the `onNotification` hooks for a client notification; a failing hook is logged (notifications get no reply). */
  async notified(notification: ClientNotification, caller: Parameters<NotificationHook>[1]): Promise<void> {
    if (this.notificationHooks.length === 0) return;
    // Requests this deep are refused with -32602; a notification gets no reply, so it is dropped and said so.
    if (exceedsDepth(notification.params)) {
      this.logger.warn({ method: notification.method }, `notification nested deeper than ${MAX_JSON_DEPTH}: dropped`);
      return;
    }
    for (const hook of this.notificationHooks) {
      try {
        await hook(notification, caller);
      } catch (error) {
        this.logger.error({ err: error, method: notification.method }, 'notification hook failed');
      }
    }
  }

  /** Settles when the server begins shutting down; long-lived requests end gracefully on it. */
  get closing(): Promise<void> {
    return this.#closing;
  }

  get closed(): boolean {
    return this.#closed;
  }

  beginClose(): void {
    this.tasks.close();
    this.#closed = true;
    this.#close();
  }
}
