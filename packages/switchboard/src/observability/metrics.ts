import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Middleware } from '../server/middleware/types.js';
import type { NotificationBus } from '../stores/bus.js';
import type { EventStore, EventStoreSize } from '../stores/event-store.js';
import type { EndpointStats } from '../transports/http/handler.js';
import type { HttpRoute } from '../transports/http/routes.js';
import { measureBusLag } from './bus-lag.js';
import type { MetricsListener } from './metrics-listener.js';
import { listenForScrapes } from './metrics-listener.js';
import { outcomeOf, toolOf } from './outcome.js';

export interface MetricsOptions {
  /** The registry to fill (default: a new one of this server's own, never prom-client's global one). */
  registry?: Registry;
  /** Prefix of every metric name (default `switchboard_`). */
  prefix?: string;
  /** Also collect Node's process metrics (heap, event loop lag, GC) into the registry (default false). */
  processMetrics?: boolean;
  /** Latency histogram buckets in seconds. */
  buckets?: number[];
}

/** Something that reports what it holds open: `serve()`'s handle, or `createNodeHandler(…).endpoint`. */
export interface StatsSource {
  stats(): EndpointStats;
}

/** Gauges read at scrape time. */
export interface MetricsWatch {
  /** HTTP endpoints whose in-flight requests, sessions and streams are reported (summed over all of them). */
  endpoints?: readonly StatsSource[];
  /**
   * The SSE event store, whose `size()` gives `event_store_bytes` and `event_store_streams`: the `MemoryEventStore`
   * or `RedisEventStore` you pass to `serve()`, or `stores.eventStore` of `redis()` once open. A `RedisEventStore`
   * answers for every instance sharing its prefix, in one round trip per scrape.
   */
  eventStore?: Pick<EventStore, 'size'>;
  /** Bytes the event store keeps, from a function of your own (`eventStore` is the simpler way). */
  eventStoreBytes?: () => number | Promise<number>;
}

/** One method/tool/era's counters, histogram and gauge, with their labels already applied. */
interface Series {
  readonly ok: Counter.Internal;
  readonly tool_error: Counter.Internal;
  readonly error: Counter.Internal;
  readonly duration: Histogram.Internal<'method' | 'tool' | 'era'>;
  readonly inFlight: Gauge.Internal<'method'>;
}

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics for one server, on a registry of its own. `middleware` counts and times every request;
 * `watch()` adds the gauges of endpoints and stores; `route()` serves them on the MCP port, `listen()` on their own.
 */
export class Metrics {
  readonly registry: Registry;
  readonly #requests: Counter<'method' | 'tool' | 'era' | 'outcome'>;
  readonly #duration: Histogram<'method' | 'tool' | 'era'>;
  readonly #inFlight: Gauge<'method'>;
  readonly #rejections: Counter<'budget' | 'method' | 'tool'>;
  readonly #busLag: Histogram;
  readonly #prefix: string;
  readonly #endpoints: StatsSource[] = [];
  readonly #series = new Map<string, Series>();
  #eventStoreBytes: (() => number | Promise<number>) | undefined;
  #eventStoreSize: (() => Promise<EventStoreSize>) | undefined;

  constructor(options: MetricsOptions = {}) {
    const prefix = options.prefix ?? 'switchboard_';
    this.#prefix = prefix;
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    this.#requests = new Counter({
      name: `${prefix}requests_total`,
      help: 'MCP requests answered, by method, tool, protocol era and outcome (ok, tool_error, error)',
      labelNames: ['method', 'tool', 'era', 'outcome'],
      registers,
    });
    this.#duration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Time to answer an MCP request, by method, tool and protocol era',
      labelNames: ['method', 'tool', 'era'],
      buckets: options.buckets ?? DEFAULT_BUCKETS,
      registers,
    });
    this.#inFlight = new Gauge({
      name: `${prefix}calls_in_flight`,
      help: 'MCP requests being handled right now, by method',
      labelNames: ['method'],
      registers,
    });
    this.#rejections = new Counter({
      name: `${prefix}quota_rejections_total`,
      help: 'Requests refused by a rate limit or quota, by budget (principal, tool, global, http, unavailable)',
      labelNames: ['budget', 'method', 'tool'],
      registers,
    });
    this.#busLag = new Histogram({
      name: `${prefix}bus_lag_seconds`,
      help: 'Time from publishing a server event to hearing it back from the bus',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.#endpointGauges();
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /** Counts and times every request (register it first, so it sees what other middleware refuses). */
  readonly middleware: Middleware = async (call, next) => {
    const series = this.#seriesOf(call.method, toolOf(call) ?? '', call.era);
    const started = performance.now();
    series.inFlight.inc();
    let result: Awaited<ReturnType<typeof next>> | undefined;
    try {
      result = await next();
      return result;
    } finally {
      series.inFlight.dec();
      series.duration.observe((performance.now() - started) / 1000);
      series[outcomeOf(result)].inc();
    }
  };

  /**
   * The label children of one method, tool and era, looked up once: prom-client hashes a label object on every
   * `inc()` otherwise, which is most of a metric's cost on the hot path. Bounded: tools are registered names.
   */
  #seriesOf(method: string, tool: string, era: string): Series {
    const key = `${method}\n${tool}\n${era}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      series = {
        ok: this.#requests.labels(method, tool, era, 'ok'),
        tool_error: this.#requests.labels(method, tool, era, 'tool_error'),
        error: this.#requests.labels(method, tool, era, 'error'),
        duration: this.#duration.labels(method, tool, era),
        inFlight: this.#inFlight.labels(method),
      };
      this.#series.set(key, series);
    }
    return series;
  }

  /** For `quota({ onRejected })` and `httpRateLimit({ onRejected })`. */
  readonly quotaRejected = (rejection: { budget: string; method: string; tool: string | undefined }): void => {
    this.#rejections.inc({ budget: rejection.budget, method: rejection.method, tool: rejection.tool ?? '' });
  };

  /** Adds gauges read at scrape time. */
  watch(watch: MetricsWatch): this {
    this.#endpoints.push(...(watch.endpoints ?? []));
    let bytes = watch.eventStoreBytes;
    const store = watch.eventStore;
    if (store?.size !== undefined) {
      const size = this.#sizeOf(store as Required<Pick<EventStore, 'size'>>);
      if (this.#eventStoreSize === undefined) {
        const metrics = this;
        new Gauge({
          name: `${this.#prefix}event_store_streams`,
          help: 'SSE streams the event store keeps for resumption',
          registers: [this.registry],
          collect: async function (this: Gauge) {
            this.set((await metrics.#eventStoreSize?.())?.streams ?? 0);
          },
        });
      }
      this.#eventStoreSize = size;
      bytes = async () => (await size()).bytes;
    }
    if (bytes !== undefined) {
      if (this.#eventStoreBytes === undefined) {
        const metrics = this;
        new Gauge({
          name: `${this.#prefix}event_store_bytes`,
          help: 'Bytes the SSE event store keeps for resumption',
          registers: [this.registry],
          collect: async function (this: Gauge) {
            this.set((await metrics.#eventStoreBytes?.()) ?? 0);
          },
        });
      }
      // The latest store or function given is the one read.
      this.#eventStoreBytes = bytes;
    }
    return this;
  }

  /**
   * One read of the store's size shared by the gauges of one scrape (prom-client collects them together), so a
   * Redis store costs one round trip per scrape.
   */
  #sizeOf(store: Required<Pick<EventStore, 'size'>>): () => Promise<EventStoreSize> {
    let reading: Promise<EventStoreSize> | undefined;
    return () => {
      reading ??= Promise.resolve(store.size()).finally(() => {
        reading = undefined;
      });
      return reading;
    };
  }

  /** The bus with its lag measured: each event this instance publishes is timed until the bus delivers it back. */
  instrumentBus<B extends NotificationBus>(bus: B): B {
    return measureBusLag(bus, (seconds) => this.#busLag.observe(seconds));
  }

  /** The text Prometheus scrapes. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** A `serve({ routes })` route answering GET `path` (default `/metrics`) with the scrape. */
  route(path = '/metrics'): HttpRoute {
    return { path, handler: (req, res) => this.#answer(req, res) };
  }

  /** Serves the scrape on a port of its own (default host 127.0.0.1), apart from the MCP endpoint. */
  listen(options: { port?: number; host?: string; path?: string } = {}): Promise<MetricsListener> {
    return listenForScrapes(options, (req, res) => this.#answer(req, res));
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const body = await this.scrape();
    res.writeHead(200, { 'content-type': this.registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
  }

  #endpointGauges(): void {
    const endpoints = this.#endpoints;
    const sum = (key: 'inflight' | 'sessions' | 'streams') => {
      let total = 0;
      for (const endpoint of endpoints) total += endpoint.stats()[key];
      return total;
    };
    const gauge = (name: string, help: string, key: 'inflight' | 'sessions' | 'streams') =>
      new Gauge({
        name: `${this.#prefix}${name}`,
        help,
        registers: [this.registry],
        collect: function (this: Gauge) {
          this.set(sum(key));
        },
      });
    gauge('http_requests_in_flight', 'HTTP requests being handled right now', 'inflight');
    gauge('open_sessions', '2025-era sessions this instance serves', 'sessions');
    gauge('open_streams', 'Open SSE streams (request streams and GET streams)', 'streams');
  }
}

/** Metrics for one server: `server.use(metrics.middleware)`, then serve `metrics.route()` or `metrics.listen()`. */
export function createMetrics(options?: MetricsOptions): Metrics {
  return new Metrics(options);
}
