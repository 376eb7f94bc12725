import { Switchboard } from 'switchboard-mcp';
import { healthRoutes } from 'switchboard-mcp/observability';
import { storesFromEnv } from 'switchboard-mcp/redis';
import { z } from 'zod';

/**
 * One server for every deployment: with REDIS_URL (and DATABASE_URL) it shares sessions, events, the bus and
 * tasks with the other instances behind the load balancer; without, it keeps them in memory.
 */
export function createServer(env: Record<string, string | undefined> = process.env): Switchboard {
  const stores = storesFromEnv(env);
  const server = new Switchboard({
    name: 'crm',
    version: '1.0.0',
    ...(stores === undefined ? {} : { stores }),
    // The same key on every instance: a 2026-07-28 requestState signed by one verifies on the others.
    ...(env.STATE_SECRET === undefined ? {} : { stateSecret: env.STATE_SECRET }),
  });
  server.tool(
    'get_lead_by_phone',
    { description: 'Look up a lead by E.164 phone number', input: { phone: z.string() } },
    ({ phone }) => `Lead for ${phone}: stage=trial`,
  );
  return server;
}

/**
 * The container's entry point: PORT and HOST from the environment, graceful stop on SIGTERM, and `/healthz` and
 * `/readyz` for the load balancer and the orchestrator (`/readyz` checks the shared stores).
 */
export async function main(): Promise<void> {
  const allowedHosts = process.env.ALLOWED_HOSTS?.split(',').map((host) => host.trim());
  const server = createServer();
  await server.run({ routes: healthRoutes(server), ...(allowedHosts === undefined ? {} : { allowedHosts }) });
}
