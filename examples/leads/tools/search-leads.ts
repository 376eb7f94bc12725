import type { Switchboard } from 'switchboard-mcp';
import { type Database, sqlTool } from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY, canSeePii, READ_SCOPE } from '../caller.js';
import { SEARCH_LEADS_SQL, SEARCH_ORDERS } from '../queries/search-leads.js';
import type { Vocabulary } from '../vocabulary.js';
import { isoDate } from './dates.js';

/** `search_leads`: one declarative SQL tool (keyset-paginated, read-only, per-caller) over the search statement. */
export async function registerSearchLeads(
  server: Switchboard,
  db: Database,
  words: Vocabulary,
  cursorSecret?: string,
): Promise<void> {
  await sqlTool(server, db, {
    name: 'search_leads',
    title: 'Search leads',
    description:
      'Find leads by free text and filters. "query" matches part of a lead\'s name, company name or email address, or words in the notes reps wrote (at least 3 characters; e.g. "Dental", "smith", "@acme.com", "after-hours BAA"). Without "query", lists leads matching the filters. Returns compact rows (id, name, company, vertical, stage, owner, source, plan, expected MRR in cents, dates, primary phone and email, relevance and matched fields); "truncated" true means more rows exist: pass "nextCursor" back as "cursor" for the next page. Use get_lead_by_phone or the leads://lead/{id} resource for one lead in full.',
    scopes: [READ_SCOPE],
    // Strict: a misspelled filter ("verticals") is an error naming it, not a silently broader search.
    input: z.strictObject({
      query: z
        .string()
        .trim()
        .min(3)
        .max(200)
        .optional()
        .describe('Part of a name, company or email, or words from notes'),
      vertical: z.enum(words.verticals).optional().describe('Only leads of this vertical'),
      stage: z
        .enum(words.stageKinds)
        .optional()
        .describe('Only leads in this stage of their pipeline (stages are unified across verticals)'),
      owner_id: z.number().int().positive().optional().describe('Only leads owned by this rep (crm.owners.id)'),
      source: z.enum(words.sources).optional().describe('Only leads from this source'),
      plan: z.enum(words.plans).optional().describe('Only leads quoted, trialling or paying for this plan'),
      created_from: isoDate.optional().describe('Only leads created on or after this day (YYYY-MM-DD, UTC)'),
      created_to: isoDate.optional().describe('Only leads created on or before this day (YYYY-MM-DD, UTC)'),
      sort: z
        .enum(Object.keys(SEARCH_ORDERS) as [keyof typeof SEARCH_ORDERS])
        .default('relevance')
        .describe(
          'Order of the rows: relevance (best text match first, then newest), newest, oldest, recent_activity, highest_value or name',
        ),
    }),
    context: { pii: canSeePii },
    sql: SEARCH_LEADS_SQL,
    orderBy: { sort: SEARCH_ORDERS },
    paginate: cursorSecret === undefined ? true : { secret: cursorSecret },
    maxRows: 20,
    timeoutMs: 3_000,
    identity: CALLER_IDENTITY,
  });
}
