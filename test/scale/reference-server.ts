/**
 * The reference server the scale test runs three times behind HAProxy: shared stores from REDIS_URL and
 * DATABASE_URL (`storesFromEnv`), one port per instance (PORT), its name (INSTANCE) in every answer so a test can
 * see which instance served it. Prints `READY <port>` once it listens.
 */
import { Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { healthRoutes } from 'switchboard-mcp/observability';
import { storesFromEnv } from 'switchboard-mcp/redis';
import { z } from 'zod';

const instance = process.env.INSTANCE ?? 'instance';
const stores = storesFromEnv(process.env, { prefix: process.env.STORE_PREFIX ?? 'switchboard:' });
if (stores === undefined) throw new Error('the scale reference server needs REDIS_URL');

const server = new Switchboard({
  name: 'scale-reference',
  version: '1.0.0',
  stores,
  // Every instance signs and verifies MRTR state with the same key.
  stateSecret: 'scale-test-state-secret-0123456789abcdef',
  tasks: { leaseMs: Number(process.env.TASK_LEASE_MS ?? 30_000), pollIntervalMs: 100 },
});

let relayed = 0;
let aborted = 0;
let counter = 0;

server.tool('whoami', { description: 'Names the instance that answered' }, () => instance);
server.tool('echo', { description: 'Echoes text', input: { text: z.string() } }, ({ text }) => `${instance}:${text}`);
server.tool('confirm', { description: 'Asks the user to confirm' }, async (_args, ctx) => {
  const answer = await ctx.elicit('Proceed?', { ok: z.boolean() });
  return `${instance}:${answer.action}:${answer.action === 'accept' ? String(answer.content.ok) : '-'}`;
});
server.tool(
  'countdown',
  { description: 'Sends progress steps, then answers', input: { steps: z.number().int().min(1).max(50) } },
  async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      ctx.progress(i, steps, `step ${i} on ${instance}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    return `${instance}:done`;
  },
);
server.tool(
  'slow_job',
  { description: 'Runs until cancelled or until ms have passed', input: { ms: z.number().int() }, task: 'optional' },
  async ({ ms }, ctx) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener('abort', () => {
        aborted++;
        clearTimeout(timer);
        resolve();
      });
    });
    return `${instance}:job done`;
  },
);
for (const name of ['warm-up', 'a', 'b', 'c']) {
  server.resource(`counter://${name}`, { name: `counter ${name}`, mimeType: 'text/plain' }, () => String(counter));
}
server.tool(
  'bump',
  { description: 'Changes a counter and tells its subscribers', input: { uri: z.string() } },
  async ({ uri }) => {
    counter++;
    await server.notifyResourceUpdated(uri);
    return instance;
  },
);
server.tool('stats', { description: 'What this instance has seen' }, () =>
  JSON.stringify({ instance, relayed, aborted }),
);

await stores.open();
// Counts relays every instance hears: proof that an answer travelled between instances.
await server.events.subscribe((event) => {
  if (event.type === 'session/relay') relayed++;
});
const handle = await serve(server, {
  port: Number(process.env.PORT ?? 0),
  host: '127.0.0.1',
  // HAProxy's health check: ready while the shared stores answer and the instance is not shutting down.
  routes: healthRoutes(server),
});
process.stdout.write(`READY ${handle.port}\n`);
const stop = async () => {
  await handle.close();
  await stores.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
