import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

/** One server for every official client: tools of each kind, a resource and template, a prompt, logging. */
export function createInteropServer(): Switchboard {
  const server = new Switchboard({ name: 'interop-fixture', version: '1.2.3', instructions: 'Use add for sums.' });
  server.tool('add', { description: 'Add two numbers', input: { a: z.number(), b: z.number() } }, ({ a, b }) =>
    String(a + b),
  );
  server.tool(
    'lookup_lead',
    {
      description: 'Find a lead by id',
      input: { id: z.number().int().positive() },
      output: { id: z.number(), stage: z.enum(['trial', 'paid']), plan: z.string() },
      annotations: { readOnlyHint: true },
    },
    ({ id }) => ({ id, stage: 'trial' as const, plan: 'Growth' }),
  );
  server.tool(
    'count_to',
    { description: 'Counts with progress', input: { n: z.number().int().min(1).max(10) } },
    async ({ n }, ctx) => {
      for (let i = 1; i <= n; i++) {
        ctx.progress(i, n, `step ${i}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      ctx.log.info(`counted to ${n}`);
      return `counted to ${n}`;
    },
  );
  server.tool('greet', { description: 'Asks for a name' }, async (_args, ctx) => {
    const answer = await ctx.elicit('What is your name?', { name: z.string() });
    return answer.action === 'accept' ? `Hello, ${answer.content.name}!` : `No name (${answer.action})`;
  });
  server.resource(
    'memo://readme',
    { name: 'readme', mimeType: 'text/plain', description: 'A short text' },
    () => 'Interop works.',
  );
  server.resourceTemplate(
    'lead://{id}',
    {
      name: 'lead',
      mimeType: 'application/json',
      complete: { id: (v) => ['7', '42', '420'].filter((x) => x.startsWith(v)) },
    },
    (_uri, { id }) => JSON.stringify({ id }),
  );
  server.prompt(
    'summarize',
    { description: 'Summarize a lead', args: { leadId: z.string(), tone: z.enum(['brief', 'detailed']) } },
    ({ leadId, tone }) => `Summarize lead ${leadId}, ${tone}.`,
  );
  return server;
}

// Run directly (`node --conditions=switchboard-source --import tsx fixture-server.ts`) it serves stdio.
if (import.meta.url === `file://${process.argv[1]}`) {
  await createInteropServer().stdio();
}
