import type { Switchboard } from 'switchboard-mcp';
import { type Database, prepareQuery } from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY, canSeePii, READ_SCOPE } from '../caller.js';
import { toE164 } from '../phone.js';
import { LEADS_BY_PHONE_SQL } from '../queries/lead-detail.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * `get_lead_by_phone`: normalises the number in code (libphonenumber), then runs one gateway query. The query is a
 * unique-index point lookup whose best plan never depends on the number, so it keeps one generic plan per
 * connection and skips planning its many subqueries on every call.
 */
export async function registerGetLeadByPhone(server: Switchboard, db: Database): Promise<void> {
  const query = await prepareQuery(db, {
    name: 'get_lead_by_phone',
    input: { e164: z.string() },
    context: { pii: canSeePii },
    sql: LEADS_BY_PHONE_SQL,
    maxRows: 25,
    maxBytes: 512 * 1024,
    timeoutMs: 2_000,
    plan: 'generic',
    identity: CALLER_IDENTITY,
  });
  server.tool(
    'get_lead_by_phone',
    {
      title: 'Get lead by phone',
      description:
        'Look up the lead (or leads) a phone number belongs to, written any way a person writes it: "+1 415 555 0123", "(415) 555-0123", "415.555.0123", "tel:+14155550123". Numbers without a country code are read as US numbers unless "country" says otherwise. Returns each matching lead in full: company, pipeline stage and its history, owner, plan, trial and subscription, contacts, phone numbers (with do-not-call flags) and emails, consent, and the 10 latest activities. A shared number (a practice\'s main line) returns every lead it reaches. Phone numbers and emails are masked unless the caller has the leads:pii scope.',
      input: {
        phone: z.string().max(64).describe('The phone number, in any common format'),
        country: z
          .string()
          .regex(/^[A-Za-z]{2}$/, { error: 'must be a two-letter country code such as US, CA or GB' })
          .optional()
          .describe('ISO 3166 country for numbers written without a country code (default US)'),
      },
      annotations: READ_ONLY,
      scopes: [READ_SCOPE],
    },
    async ({ phone, country }, ctx) => {
      const e164 = toE164(phone, country);
      const page = await query.run({ e164 }, ctx);
      return {
        phone: e164,
        matches: page.rows.length,
        ...(page.rows.length === 0 ? { note: `No lead you can see has ${e164}.` } : {}),
        leads: page.rows,
        truncated: page.truncated,
      };
    },
  );
}
