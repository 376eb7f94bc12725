import { Switchboard } from 'switchboard-mcp';
import { createMetrics, tracing } from 'switchboard-mcp/observability';
import { z } from 'zod';
import { countingTracerProvider } from '../counting-tracer.js';
import { announce, announceStdio, transport } from './child.js';

/**
 * The Switchboard bench server with metrics and tracing on: the prom-client middleware (counters, histogram,
 * in-flight gauge) and the tracing middleware feeding a tracer provider that builds and ends real span objects but
 * exports nothing, so the figure is the framework's own cost, not an exporter's.
 */
const metrics = createMetrics();
const server = new Switchboard({ name: 'bench-switchboard-observed', version: '1.0.0' });
server.tool('add', { description: 'Add two numbers', input: { a: z.number(), b: z.number() } }, ({ a, b }) =>
  String(a + b),
);
server.use(metrics.middleware);
server.use(tracing({ tracerProvider: countingTracerProvider }));

if (transport === 'stdio') {
  await server.stdio();
  announceStdio();
} else {
  const handle = await server.listen({ port: 0, routes: [metrics.route()] });
  metrics.watch({ endpoints: [handle] });
  announce(handle.url);
}
