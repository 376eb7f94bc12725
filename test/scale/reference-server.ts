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
const stores = storesFromEnv(process.env, {
  prefix: process.env.STORE_PREFIX ?? 'switchboard:',
  instanceLeaseMs: Number(process.env.INSTANCE_LEASE_MS ?? 15_000),
  followCheckMs: Number(process.env.FOLLOW_CHECK_MS ?? 5_000),
});
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
/**
 * Steps released from any instance, with no timing: `advance` publishes `gate://<run>/<n>` on the bus and waits for
 * `gate-sent://<run>/<n>`, which the `stepped` call (on whichever instance runs it) publishes once it has sent
 * progress n. Step 1 goes out at once, so the caller knows the call runs before it advances it.
 */
const waiting = new Map<string, () => void>();
const heard = (uri: string) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing published ${uri} within 20 s`)), 20_000);
    waiting.set(uri, () => {
      clearTimeout(timer);
      resolve();
    });
  });
server.tool(
  'stepped',
  {
    description: 'Sends progress n once someone advances it to step n',
    input: { run: z.string(), steps: z.number().int().min(1).max(20) },
  },
  async ({ run, steps }, ctx) => {
    for (let n = 1; n <= steps; n++) {
      const next = n < steps ? heard(`gate://${run}/${n + 1}`) : undefined;
      ctx.progress(n, steps, `step ${n} on ${instance}`);
      await server.notifyResourceUpdated(`gate-sent://${run}/${n}`);
      await next;
    }
    return `${instance}:stepped`;
  },
);
server.tool(
  'advance',
  { description: 'Lets a stepped call send step n', input: { run: z.string(), step: z.number().int() } },
  async ({ run, step }) => {
    const sent = heard(`gate-sent://${run}/${step}`);
    await server.notifyResourceUpdated(`gate://${run}/${step}`);
    await sent;
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
  if (event.type !== 'resources/updated') return;
  waiting.get(event.uri)?.();
  waiting.delete(event.uri);
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
