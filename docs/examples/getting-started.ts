import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

export function createServer(): Switchboard {
  const server = new Switchboard({ name: 'crm', version: '1.0.0', instructions: 'Look leads up by phone.' });

  server.tool(
    'get_lead_by_phone',
    {
      description: 'Look up a lead by E.164 phone number',
      input: {
        phone: z
          .string()
          .regex(/^\+\d{7,15}$/)
          .describe('E.164, e.g. +14155550100'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ phone }) => `Lead for ${phone}: stage=trial, plan=Growth`,
  );

  return server;
}

// In your entry file: `await createServer().run()` serves HTTP on :3000, or stdio with --stdio.
