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

  // Progress the client paces: each step waits for a `next_step` call, so every notification reaches the client
  // while the call is still open, however a transport batches what follows into one read.
  let nextStep: (() => void) | undefined;
  server.tool(
    'paced_count',
    { description: 'Counts with progress, one step per next_step call', input: { n: z.number().int().min(1).max(10) } },
    async ({ n }, ctx) => {
      for (let i = 1; i <= n; i++) {
        const stepped = new Promise<void>((resolve, reject) => {
          nextStep = resolve;
          ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
        });
        ctx.progress(i, n, `step ${i}`);
        await stepped;
      }
      return `paced to ${n}`;
    },
  );
  server.tool('next_step', { description: 'Lets paced_count go on' }, () => {
    const step = nextStep;
    nextStep = undefined;
    step?.();
    return step === undefined ? 'nothing was waiting' : 'stepped';
  });

  server.tool('greet', { description: 'Asks for a name' }, async (_args, ctx) => {
    const answer = await ctx.elicit('What is your name?', { name: z.string() });
    return answer.action === 'accept' ? `Hello, ${answer.content.name}!` : `No name (${answer.action})`;
  });

  let memo = 'Interop works.';
  server.resource('memo://readme', { name: 'readme', mimeType: 'text/plain', description: 'A short text' }, () => memo);
  server.tool('edit_memo', { description: 'Rewrites memo://readme', input: { text: z.string() } }, ({ text }) => {
    memo = text;
    server.notifyResourceUpdated('memo://readme');
    return 'saved';
  });
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

/** Every tool the fixture registers, in registration order. */
export const TOOL_NAMES = ['add', 'lookup_lead', 'count_to', 'paced_count', 'next_step', 'greet', 'edit_memo'];

// Run directly (`node --conditions=switchboard-source --import tsx fixture-server.ts`) it serves stdio.
if (import.meta.url === `file://${process.argv[1]}`) {
  await createInteropServer().stdio();
}
