import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { BusRelay } from '../../protocol/bus-relay.js';
import { ErrorCode, isStoreUnavailable, ProtocolError } from '../../protocol/errors.js';
import type { EventSource } from '../../protocol/events.js';
import type { Params } from '../../protocol/messages.js';
import type { StoredTask, TaskStore } from '../../stores/task-store.js';
import { MemoryTaskStore } from '../../stores/task-store.js';
import type { InputMethod } from '../input.js';
import { checkInputResponse } from '../input.js';
import type { TaskHandle } from './task-record.js';
import { detailedOf, TaskRecord } from './task-record.js';

/** The tasks extension identifier (SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** -32021 naming the tasks extension (SEP-2663 §Capability Negotiation), HTTP 400. */
export function missingTasksExtension(what: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.MissingRequiredClientCapability,
    `${what} needs the ${TASKS_EXTENSION} extension in the request's client capabilities`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
    400,
  );
}

export interface TaskStoreOptions {
  /** How long a task stays retrievable after it is created (default 1 hour). */
  ttlMs?: number;
  /** The polling interval suggested to clients (default 1 second). */
  pollIntervalMs?: number;
  /** Where tasks live (default: this process's memory); a durable store lets any instance answer for them. */
  store?: TaskStore;
  /**
   * How long a running task's lease holds without a heartbeat (default 30 s). Heartbeats renew it while this
   * process runs the task; if the process dies, the task is failed once the lease has run out.
   */
  leaseMs?: number;
  /** Tasks one caller (`principalKey`) may have running at once (default 100); past it, a call gets -32600. */
  maxActivePerPrincipal?: number;
  /** Bytes of JSON a task's result may take in the store (default 1 MiB); a larger result fails the task instead. */
  maxResultBytes?: number;
  /**
   * How long answers given through another instance (`tasks/update`) wait for the instance running the task to take
   * them over the bus (default 3 s); with none by then, tasks/update fails saying nothing was delivered.
   */
  relayTimeoutMs?: number;
}

/** What a task whose process died becomes: a failure the client can act on, never `working` forever. */
const ORPHANED = {
  code: ErrorCode.InternalError,
  message: 'The server instance running this task stopped before the task finished; start it again.',
};

/**
 * No instance took a task's answers: it is no longer waiting for them (it finished, or the instance running it
 * stopped, and then it fails once its lease runs out). An error rather than a success that would claim a delivery.
 */
function inputNotTaken(taskId: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.InvalidRequest,
    `Task "${taskId}" is not running on any instance that can take its input (it finished, or the instance running it stopped); nothing was delivered`,
    { taskId },
    409,
  );
}

/**
 * Starts, finds and steers tasks. A task is written to the store before its handle goes out (SEP-2663: durably
 * created first); this process keeps the running part (the handler's signal, its questions) and writes every state
 * change to the store before telling listeners, so a `tasks/get` anywhere sees what the notification announced.
 */
export class TaskManager {
  readonly #store: TaskStore;
  readonly #ttlMs: number;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #maxActive: number;
  /** The most JSON bytes a completed task's result may take in the store. */
  readonly maxResultBytes: number;
  readonly #publish: (detailed: Params) => Promise<void>;
  readonly #logger: Logger;
  /** Identifies this process as the owner of the tasks it runs. */
  readonly #owner = randomBytes(8).toString('hex');
  readonly #live = new Map<string, TaskRecord>();
  /** Each task's writes, in order: a later state never overtakes an earlier one on its way to the store. */
  readonly #writes = new Map<string, Promise<void>>();
  /**
   * Tasks whose last change could not be written because the store was unreachable. They stay live here (answered
   * from memory, their leases renewed) and are written again on each heartbeat until the store takes them, so a task
   * that finished during an outage is stored as finished, not failed later as orphaned.
   */
  readonly #unsaved = new Set<string>();
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #bus: EventSource | undefined;
  /**
   * Hands answers given here to the instance running their task, and hears that instance take them. Why a relay
   * rather than answers stored with the task for its instance to pick up: only that instance's waiting handler can
   * use them, so the acknowledgement tells tasks/update the truth at once (taken, or no instance waits any more,
   * which the lease then turns into a failure), with no new column, polling or wake-up to build.
   */
  readonly #relay: BusRelay<'tasks/input'> | undefined;
  /** Listening for cancellations and answers other instances relay for the tasks this one runs; set on first task. */
  #relays: Promise<unknown> | undefined;

  constructor(
    options: TaskStoreOptions,
    publish: (detailed: Params) => Promise<void>,
    logger: Logger,
    bus?: EventSource,
  ) {
    this.#bus = bus;
    this.#store = options.store ?? new MemoryTaskStore();
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#maxActive = options.maxActivePerPrincipal ?? 100;
    this.maxResultBytes = options.maxResultBytes ?? 1024 * 1024;
    this.#publish = publish;
    this.#logger = logger;
    this.#relay = bus && new BusRelay(bus, 'tasks/input', this.#owner, options.relayTimeoutMs ?? 3_000, logger);
  }

  /**
   * Creates a task for `principal` and stores it; resolves once it can be read back. Refused (-32600, HTTP 429)
   * while the caller has `maxActivePerPrincipal` tasks running.
   */
  async create(principal: string): Promise<TaskRecord> {
    if ((await this.#store.countActive(principal)) >= this.#maxActive) {
      // A bound on what one caller can make the server keep running; the tasks it already has go on untouched.
      throw new ProtocolError(
        ErrorCode.InvalidRequest,
        `Too many tasks: this caller already has ${this.#maxActive} running (the most allowed); wait for one to finish or cancel one`,
        { limit: this.#maxActive },
        429,
      );
    }
    const now = Date.now();
    const createdAt = new Date(now).toISOString();
    const stored: StoredTask = {
      // SEP-2663 §Security: task ids must be unguessable (122 random bits).
      taskId: randomUUID(),
      principal,
      status: 'working',
      createdAt,
      lastUpdatedAt: createdAt,
      ttlMs: this.#ttlMs,
      pollIntervalMs: this.#pollIntervalMs,
      owner: this.#owner,
      leaseExpiresAt: now + this.#leaseMs,
    };
    await this.#listenForRelays();
    await this.#store.create(stored);
    const record = new TaskRecord(structuredClone(stored), (task) => this.#changed(task));
    this.#live.set(stored.taskId, record);
    this.#beat();
    return record;
  }

  /** The task, if it exists and belongs to this caller; another caller's task is indistinguishable from none. */
  async get(taskId: string, principal: string): Promise<TaskHandle | undefined> {
    const live = this.#live.get(taskId);
    if (live !== undefined) return live.principal === principal ? live : undefined;
    await this.#failExpired();
    const stored = await this.#store.get(taskId);
    if (stored === undefined || stored.principal !== principal) return undefined;
    return this.#storedHandle(stored);
  }

  /** Stops the heartbeat (server shutdown); running tasks fail once their leases run out, as after a crash. */
  close(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** A task this process does not run: readable, cancellable in the store, but not answerable from here. */
  #storedHandle(stored: StoredTask): TaskHandle {
    return {
      taskId: stored.taskId,
      detailed: () => detailedOf(stored),
      provide: async (responses) => {
        // The instance running the task holds the questions; answers are checked here, then relayed to it, and the
        // update succeeds only once that instance took them.
        const asked = stored.status === 'input_required' ? (stored.inputRequests ?? {}) : {};
        const accepted: Params = {};
        for (const [key, value] of Object.entries(responses)) {
          const request = asked[key];
          if (request !== undefined) accepted[key] = checkInputResponse(request.method as InputMethod, key, value);
        }
        if (Object.keys(accepted).length === 0) return;
        await this.#listenForRelays();
        const taken = await this.#relay?.send({ taskId: stored.taskId, responses: accepted });
        if (taken !== true) throw inputNotTaken(stored.taskId);
      },
      cancel: async () => {
        const now = new Date().toISOString();
        const updated = await this.#store.update(stored.taskId, { status: 'cancelled', lastUpdatedAt: now });
        if (updated !== undefined) await this.#publish(detailedOf(updated));
      },
    };
  }

  /**
   * Once per process: a task this process runs hears its cancellation through another instance (a `tasks/status`
   * saying cancelled: its handler's signal aborts) and answers given there (`tasks/input`, acknowledged), and answers
   * sent from here hear their acknowledgement.
   */
  async #listenForRelays(): Promise<void> {
    if (this.#bus === undefined) return;
    this.#relays ??= this.#bus
      .subscribe((event) => {
        if (event.type === 'tasks/input-ack') return this.#relay?.acknowledged(event);
        if (event.type === 'tasks/input')
          return this.#relay?.received(event, () => this.#deliver(event.taskId, event.responses));
        if (event.type !== 'tasks/status' || event.task.status !== 'cancelled') return;
        const live = this.#live.get(event.task.taskId);
        if (live === undefined || live.terminal) return;
        live.cancel({ announce: false });
        this.#live.delete(event.task.taskId);
      })
      .catch((error: unknown) => {
        this.#relays = undefined;
        this.#logger.error({ err: error }, 'could not listen for relayed task messages');
      });
    await this.#relays;
  }

  /** Answers relayed from another instance, for a task running here; false when none here waits for them. */
  #deliver(taskId: string, responses: Params): boolean {
    const live = this.#live.get(taskId);
    if (live === undefined || live.terminal) return false;
    try {
      live.provide(responses);
    } catch (error) {
      // The sender checked them against the same questions; a mismatch is logged, not relayed again.
      this.#logger.warn({ err: error, taskId }, 'could not deliver relayed task input');
    }
    return true;
  }

  #changed(task: TaskRecord): void {
    const change = task.change();
    const detailed = task.detailed();
    const previous = this.#writes.get(task.taskId) ?? Promise.resolve();
    const write = previous
      .then(async () => {
        await this.#store.update(task.taskId, change);
        this.#unsaved.delete(task.taskId);
        await this.#publish(detailed);
      })
      .catch((error: unknown) => {
        if (!isStoreUnavailable(error)) {
          this.#logger.error({ err: error, taskId: task.taskId }, 'could not store a task change');
          return;
        }
        this.#unsaved.add(task.taskId);
        this.#logger.warn({ err: error, taskId: task.taskId }, 'could not store a task change yet: writing it again');
      })
      .finally(() => {
        if (this.#writes.get(task.taskId) !== write) return;
        this.#writes.delete(task.taskId);
        if (task.terminal && !this.#unsaved.has(task.taskId)) this.#live.delete(task.taskId);
      });
    this.#writes.set(task.taskId, write);
  }

  /** While this process runs tasks, their leases are renewed a few times per lease period. */
  #beat(): void {
    if (this.#heartbeat !== undefined) return;
    this.#heartbeat = setInterval(() => void this.#renew(), Math.max(10, this.#leaseMs / 3));
    this.#heartbeat.unref();
  }

  async #renew(): Promise<void> {
    if (this.#live.size === 0) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
      return;
    }
    for (const taskId of this.#unsaved) {
      const live = this.#live.get(taskId);
      if (live === undefined) this.#unsaved.delete(taskId);
      else if (!this.#writes.has(taskId)) this.#changed(live);
    }
    try {
      await this.#store.renewLeases(this.#owner, [...this.#live.keys()], Date.now() + this.#leaseMs);
      // A bus that could not be listened to when a task started is tried again, so relayed answers reach it.
      void this.#listenForRelays();
      await this.#failExpired();
    } catch (error) {
      // A store briefly unreachable: the next beat tries again, well within the lease.
      this.#logger.warn({ err: error }, 'could not renew task leases');
    }
  }

  async #failExpired(): Promise<void> {
    for (const task of await this.#store.failExpired(Date.now(), ORPHANED)) {
      this.#logger.warn({ taskId: task.taskId, owner: task.owner }, 'task failed: its instance stopped renewing it');
      await this.#publish(detailedOf(task));
    }
  }
}
