import { embeddedResource, type Switchboard } from 'switchboard-mcp';
import { z } from 'zod';
import { READ_SCOPE } from '../caller.js';
import type { LeadReader } from '../resources/lead-resource.js';

/** `triage_lead`: the lead in full, embedded, and what an ops agent should decide about it. */
export function registerTriagePrompt(server: Switchboard, readLead: LeadReader): void {
  server.prompt(
    'triage_lead',
    {
      title: 'Triage a lead',
      description:
        'Review one lead and decide the next best action: who should do what, by when, and whether anything blocks contact.',
      args: {
        lead_id: z
          .string()
          .regex(/^[1-9][0-9]*$/, { error: 'must be a lead id such as 42' })
          .describe('The lead id'),
      },
      scopes: [READ_SCOPE],
    },
    async ({ lead_id }, ctx) => {
      const lead = await readLead(lead_id, ctx);
      return [
        {
          role: 'user',
          content: embeddedResource({
            uri: `leads://lead/${lead_id}`,
            mimeType: 'application/json',
            text: JSON.stringify(lead, null, 2),
          }),
        },
        [
          `Triage lead ${lead_id} above for the sales team.`,
          '1. Where is it: stage, days in stage compared with the stage history, last activity, trial or subscription state.',
          '2. What blocks contact: numbers marked do_not_call, revoked or missing consent per channel, bounced emails. Never suggest a call or text the consent does not allow.',
          '3. Fit and value: vertical, company size and locations, expected MRR, plan, score, competitors mentioned in notes.',
          '4. Decide the next best action, who owns it (the owner, or reassign if unassigned or the rep left) and by when; say if the lead should be closed lost and why.',
          'Answer with a short summary, the blockers, and the action as one line: ACTION | OWNER | DUE.',
        ].join('\n'),
      ];
    },
  );
}
