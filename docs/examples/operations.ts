import type { Redis } from 'ioredis';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { accessLog, createMetrics, healthRoutes, tracing } from 'switchboard-mcp/observability';
import { httpRateLimit, quota } from 'switchboard-mcp/quota';
import { z } from 'zod';

export interface OperatedServer {
  http: HttpServerHandle;
  metricsUrl: string;
  close: () => Promise<void>;
}

/** A server with every operational feature on; `redis` shares the rate-limit counters across instances. */
export async function startOperatedServer(options: { port?: number; redis?: Redis } = {}): Promise<OperatedServer> {
  const server = new Switchboard({ name: 'crm', version: '1.0.0' });
  server.tool('search_leads', { input: { q: z.string() } }, ({ q }) => `3 leads match "${q}"`);
  server.tool('export_leads', {}, () => 'export started');

  const metrics = createMetrics();
  const store = options.redis === undefined ? 'memory' : { redis: options.redis };
  // Order matters: metrics and tracing first, so they see what the quota refuses.
  server.use(metrics.middleware);
  server.use(tracing());
  const log = accessLog();
  server.use(log);
  server.use(
    quota({
      store,
      perPrincipal: { points: 600, durationSec: 60 },
      perTool: { export_leads: { points: 2, durationSec: 3600 } },
      global: { points: 10_000, durationSec: 1 },
      whenStoreDown: 'open',
      onRejected: metrics.quotaRejected,
    }),
  );

  const redis = options.redis;
  const http = await serve(server, {
    port: options.port ?? 3000,
    admit: httpRateLimit({ store, points: 1200, durationSec: 60, onRejected: metrics.quotaRejected }),
    // Requests refused before middleware (401, 413, 429 from admit, …) get their access-log line too.
    onRefused: log.refused,
    // /readyz fails while Redis does not answer, so the load balancer sends traffic elsewhere.
    routes: healthRoutes(server, { checks: redis === undefined ? {} : { redis: () => redis.ping() } }),
  });
  // Metrics on a port of their own, kept off the public MCP port.
  const scrape = await metrics.listen({ port: 0 });
  metrics.watch({ endpoints: [http] });
  return {
    http,
    metricsUrl: scrape.url,
    close: async () => {
      await http.close();
      await scrape.close();
    },
  };
}
