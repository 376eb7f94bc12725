import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

export function createServer(): Switchboard {
  const server = new Switchboard({ name: 'context-demo', version: '1.0.0', stateSecret: process.env.MCP_STATE_SECRET });

  // Progress and log messages go to the client; the signal tells you when the client gave up.
  server.tool(
    'export_leads',
    { description: 'Export leads in batches', input: { batches: z.number().int().min(1) } },
    async ({ batches }, ctx) => {
      for (let i = 1; i <= batches; i++) {
        if (ctx.signal.aborted) return 'cancelled';
        ctx.progress(i, batches, `batch ${i} of ${batches}`);
      }
      ctx.log.info(`exported ${batches} batches`);
      return `exported ${batches} batches`;
    },
  );

  // Ask the user. Written once: a 2026-07-28 client gets an input_required round, a 2025-11-25 session a
  // real elicitation/create request. With a zod form the accepted answer is validated and typed.
  server.tool(
    'delete_lead',
    { description: 'Delete a lead after confirmation', input: { id: z.number() } },
    async ({ id }, ctx) => {
      const answer = await ctx.elicit(`Delete lead ${id}? Type the id to confirm.`, { confirm: z.number() });
      if (answer.action !== 'accept' || answer.content.confirm !== id) return `Lead ${id} kept.`;
      return `Lead ${id} deleted.`;
    },
  );

  // Ask the client's model (sampling; deprecated in 2026-07-28 but still served).
  server.tool('summarize', { description: 'Summarize notes', input: { notes: z.string() } }, async ({ notes }, ctx) => {
    const reply = await ctx.sample(`Summarize in one line: ${notes}`);
    return reply.content.type === 'text' ? reply.content.text : 'no summary';
  });

  return server;
}
