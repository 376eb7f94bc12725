import type { ServerResponse } from 'node:http';
import type { McpHost } from '../protocol/host.js';
import type { SharedStores } from '../stores/shared-stores.js';
import type { HttpRoute } from '../transports/http/routes.js';

/** One readiness check: resolves when the dependency answers (a Redis `PING`, a `SELECT 1`), throws when not. */
export type ReadinessCheck = () => unknown | Promise<unknown>;

export interface HealthOptions {
  /**
   * Named checks `/readyz` runs on every probe, e.g. `{ redis: () => redis.ping() }`. A server with shared stores
   * (`stores` option, `--shared-stores`) gets a `stores` check of its own besides these.
   */
  checks?: Readonly<Record<string, ReadinessCheck>>;
  /** How long one check may take before it counts as failed (default 2 s). */
  timeoutMs?: number;
  /** Paths (defaults `/healthz` and `/readyz`). */
  livePath?: string;
  readyPath?: string;
}

/**
 * `serve({ routes })` routes for orchestrators: `/healthz` answers 200 while the process serves at all (liveness);
 * `/readyz` answers 200 when every check passes and the server is not shutting down, else 503 with what failed.
 */
export function healthRoutes(
  server: Pick<McpHost, 'closed'> & { readonly stores?: Pick<SharedStores, 'ping'> },
  options: HealthOptions = {},
): HttpRoute[] {
  const stores = server.stores;
  const own: Record<string, ReadinessCheck> = stores?.ping === undefined ? {} : { stores: () => stores.ping?.() };
  const checks = Object.entries({ ...own, ...options.checks });
  const timeoutMs = options.timeoutMs ?? 2_000;
  return [
    { path: options.livePath ?? '/healthz', handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: options.readyPath ?? '/readyz',
      handler: async (_req, res) => {
        if (server.closed) return json(res, 503, { status: 'shutting down' });
        const results = await Promise.all(checks.map(([name, check]) => run(name, check, timeoutMs)));
        const report = Object.fromEntries(results);
        const ready = results.every(([, outcome]) => outcome === 'ok');
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: report });
      },
    },
  ];
}

async function run(name: string, check: ReadinessCheck, timeoutMs: number): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return [name, 'ok'];
  } catch (error) {
    return [name, `failed: ${error instanceof Error ? error.message : String(error)}`];
  } finally {
    clearTimeout(timer);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
