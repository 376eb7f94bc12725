import { image, jsonSchema, Switchboard, ToolError, text, toolResult } from 'switchboard-mcp';
import { z } from 'zod';

const leads = new Map([[42, { id: 42, stage: 'trial' as const, plan: 'Growth' }]]);

export function createServer(): Switchboard {
  const server = new Switchboard({ name: 'tools-demo', version: '1.0.0' });

  // Input and output schemas: arguments are validated before the handler runs; the returned object is
  // validated against `output` and sent as structuredContent plus its JSON as text.
  server.tool(
    'get_lead',
    {
      description: 'Fetch one lead by id',
      input: { id: z.number().int().positive() },
      output: { id: z.number(), stage: z.enum(['trial', 'paid']), plan: z.string() },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    ({ id }) => {
      const lead = leads.get(id);
      // A ToolError reaches the model as written: say what to do instead.
      if (lead === undefined) throw new ToolError(`No lead ${id}. Call search_leads to find valid ids.`);
      return lead;
    },
  );

  // Several content blocks: return an array.
  server.tool('chart', { description: 'A chart of the pipeline' }, () => [
    text('Pipeline by stage:'),
    image(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'image/png',
    ),
  ]);

  // A complete result, exactly as it goes on the wire.
  server.tool('quota', { description: 'Remaining API quota' }, () =>
    toolResult({ content: [text('Quota exhausted until 00:00 UTC')], isError: true }),
  );

  // A JSON Schema document instead of zod: listed verbatim, validated with Ajv (2020-12 by default).
  server.tool(
    'tag_lead',
    {
      description: 'Tag a lead',
      input: jsonSchema<{ id: number; tags: string[] }>({
        type: 'object',
        properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } },
        required: ['id', 'tags'],
        additionalProperties: false,
      }),
    },
    ({ id, tags }) => `Lead ${id} tagged ${tags.join(', ')}`,
  );

  // Anything else that goes wrong is masked: the model sees a correlation id, your logs see the error.
  server.tool('flaky', { description: 'Fails on purpose' }, () => {
    throw new Error('connection to 10.0.0.5:5432 refused');
  });

  return server;
}
