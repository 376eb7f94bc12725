import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

export function createServer(runExport: (rows: number, signal: AbortSignal) => Promise<string>): Switchboard {
  const server = new Switchboard({
    name: 'tasks-demo',
    version: '1.0.0',
    tasks: { ttlMs: 600_000, pollIntervalMs: 2000 },
  });

  // Clients that support the tasks extension get a task handle at once and poll tasks/get for the result;
  // other clients get the result when the handler returns.
  server.tool(
    'export_pipeline',
    {
      description: 'Export the pipeline to CSV (takes minutes)',
      input: { rows: z.number().int().positive() },
      task: 'optional',
    },
    async ({ rows }, ctx) => `Exported to ${await runExport(rows, ctx.signal)}`,
  );

  // Ask first (an ordinary MRTR round), then continue as a task.
  server.tool(
    'purge_leads',
    { description: 'Purge stale leads after confirmation', task: 'required', taskStart: 'by-handler' },
    async (_args, ctx) => {
      const answer = await ctx.elicit('Purge leads untouched for a year?', { confirm: z.boolean() });
      if (answer.action !== 'accept' || !answer.content.confirm) return 'Nothing purged.';
      await ctx.startTask();
      return `Purged ${await runExport(0, ctx.signal)}`;
    },
  );

  return server;
}
