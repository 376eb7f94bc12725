import { type Context, NotFoundError, type Switchboard } from 'switchboard-mcp';
import { type Database, prepareQuery } from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY, canSeePii, READ_SCOPE } from '../caller.js';
import { LEAD_BY_ID_SQL } from '../queries/lead-detail.js';

/** What the lead resource and the triage prompt share: one lead in full, as the caller may see it. */
export type LeadReader = (id: string, ctx: Context) => Promise<Record<string, unknown>>;

const ID = /^[1-9][0-9]{0,15}$/;
const COMPLETIONS = 20;

/**
 * `leads://lead/{id}`: one lead in full (the same shape get_lead_by_phone returns), with completion of ids by
 * prefix. A lead that does not exist, or that row-level security hides from the caller, is not found.
 */
export async function registerLeadResource(server: Switchboard, db: Database): Promise<LeadReader> {
  const query = await prepareQuery(db, {
    name: 'lead_resource',
    input: { id: z.number().int() },
    context: { pii: canSeePii },
    sql: LEAD_BY_ID_SQL,
    maxRows: 1,
    timeoutMs: 2_000,
    plan: 'generic',
    identity: CALLER_IDENTITY,
  });
  // Ids starting with what was typed: 12 → 12, 120-129, 1200-1299, … each an index range scan, never id::text LIKE.
  const completions = await prepareQuery(db, {
    name: 'lead_id_completion',
    input: { prefix: z.number().int() },
    sql: `SELECT l.id FROM generate_series(0, 15) AS k(digits)
          CROSS JOIN LATERAL (SELECT id FROM crm.leads
                              WHERE id BETWEEN :prefix::bigint * 10::bigint ^ k.digits AND (:prefix::bigint + 1) * 10::bigint ^ k.digits - 1
                              ORDER BY id LIMIT ${COMPLETIONS}) l
          WHERE :prefix::bigint * 10::numeric ^ k.digits <= 9223372036854775807`,
    maxRows: 200,
    timeoutMs: 1_000,
    identity: CALLER_IDENTITY,
  });
  const read: LeadReader = async (id, ctx) => {
    if (!ID.test(id)) throw new NotFoundError(`No lead with id "${id}": lead ids are whole numbers such as 42.`);
    const page = await query.run({ id: Number(id) }, ctx);
    const lead = page.rows[0];
    if (lead === undefined) throw new NotFoundError(`No lead with id ${id} (or it belongs to a team you cannot see).`);
    return lead;
  };
  server.resourceTemplate(
    'leads://lead/{id}',
    {
      name: 'lead',
      title: 'Lead',
      description:
        'One lead in full: company, stage and history, owner, plan, trial, subscription, contacts, numbers, emails, consent and latest activities.',
      mimeType: 'application/json',
      scopes: [READ_SCOPE],
      complete: {
        id: async (typed, { ctx }) => {
          const prefix = typed.trim() === '' ? 1 : Number(typed);
          if (!/^[0-9]*$/.test(typed.trim()) || !Number.isSafeInteger(prefix) || prefix < 1) return [];
          const page = await completions.run({ prefix }, ctx);
          return page.rows
            .map((row) => String(row.id))
            .sort()
            .slice(0, COMPLETIONS);
        },
      },
    },
    async (_uri, { id }, ctx) => JSON.stringify(await read(id ?? '', ctx), null, 2),
  );
  return read;
}
