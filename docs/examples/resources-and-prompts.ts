import { NotFoundError, Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

export function createServer(): Switchboard {
  const server = new Switchboard({ name: 'resources-demo', version: '1.0.0' });

  // A resource at a fixed URI. Return a string (text), bytes (blob), or contents objects.
  server.resource(
    'crm://schema',
    { name: 'schema', mimeType: 'text/plain', description: 'Table overview' },
    () => 'leads(id, phone, stage, plan)',
  );

  // A family of resources behind an RFC 6570 template, with enumeration and completion of its variable.
  server.resourceTemplate(
    'crm://leads/{id}',
    {
      name: 'lead',
      mimeType: 'application/json',
      list: () => [{ uri: 'crm://leads/42', name: 'Lead 42' }],
      complete: { id: (typed) => ['42', '43', '420'].filter((id) => id.startsWith(typed)) },
    },
    (_uri, { id }) => {
      // NotFoundError becomes the revision's resource-not-found error (-32002, or -32602 for 2026-07-28).
      if (!/^\d+$/.test(id ?? '')) throw new NotFoundError(`No lead with id "${id}"`);
      return JSON.stringify({ id: Number(id), stage: 'trial' });
    },
  );

  // A prompt. Arguments are strings on the wire; enum arguments complete themselves.
  server.prompt(
    'follow_up',
    {
      description: 'Draft a follow-up message for a lead',
      args: { leadId: z.string().describe('Lead id'), tone: z.enum(['friendly', 'formal']).optional() },
    },
    ({ leadId, tone }) => `Write a ${tone ?? 'friendly'} follow-up for lead ${leadId}.`,
  );

  return server;
}
