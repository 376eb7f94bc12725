import { Switchboard } from 'switchboard-mcp';
import { healthRoutes } from 'switchboard-mcp/observability';
import { storesFromEnv } from 'switchboard-mcp/redis';
import { z } from 'zod';
import { announce } from './child.js';

/** The bench server with the stores BENCH_STORES names: `redis` (REDIS_URL, shared) or `memory` (this process). */
const stores =
  process.env.BENCH_STORES === 'redis' ? storesFromEnv(process.env, { prefix: process.env.BENCH_PREFIX }) : undefined;
const server = new Switchboard({
  name: 'bench-switchboard-shared',
  version: '1.0.0',
  stateSecret: 'bench-state-secret-0123456789abcdef0123',
  ...(stores === undefined ? {} : { stores }),
});
server.tool('add', { description: 'Add two numbers', input: { a: z.number(), b: z.number() } }, ({ a, b }) =>
  String(a + b),
);
// HAProxy checks /readyz (stores reachable, not shutting down) before sending an instance traffic.
const handle = await server.listen({ port: 0, routes: healthRoutes(server) });
announce(handle.url);
