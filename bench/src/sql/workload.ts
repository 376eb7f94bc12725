import { NOTE_WALK_LIMIT } from '../../../examples/leads/queries/search-leads.js';

/**
 * The calls the benchmark makes, drawn from the database itself with a fixed order so every server gets the same
 * sequence. search_leads: text + filters, first page, as an ops agent types them: a lead's last name, its company's
 * name, its email's local part or a phrase from the reps' notes, each with the lead's vertical and stage.
 * get_lead_by_phone: numbers leads really have, in E.164. unified_pipeline_summary: each grouping, some filtered.
 */
export type Args = Record<string, string | number | boolean>;
export interface Workload {
  search_leads: Args[];
  get_lead_by_phone: Args[];
  unified_pipeline_summary: Args[];
}

export const NOTE_PHRASES = ['answering service', 'BAA', 'Spanish', 'pricing before a demo', 'multi-location discount'];

/** Runs one statement (a pg client's or the SQL gateway's `query`). */
export type Query = (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;

export async function loadWorkload(query: Query, size = 400): Promise<Workload> {
  {
    const { rows: leads } = (await query(
      `SELECT l.last_name, c.name AS company, split_part(e.address, '@', 1) AS email, v.slug AS vertical, s.stage_kind AS stage
       FROM crm.leads l JOIN crm.verticals v ON v.id = l.vertical_id JOIN crm.pipeline_stages s ON s.id = l.stage_id
       LEFT JOIN crm.companies c ON c.id = l.company_id
       LEFT JOIN LATERAL (SELECT address FROM crm.email_addresses WHERE lead_id = l.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
       WHERE l.id % greatest((SELECT max(id) FROM crm.leads) / $1, 1) = 0 ORDER BY l.id LIMIT $1`,
      [size],
    )) as {
      rows: { last_name: string; company: string | null; email: string | null; vertical: string; stage: string }[];
    };
    const search = leads.map((lead, i): Args => {
      const kind = i % 4;
      const query =
        kind === 0
          ? lead.last_name
          : kind === 1 && lead.company !== null
            ? lead.company
            : kind === 2 && lead.email !== null && lead.email.length >= 3
              ? lead.email
              : (NOTE_PHRASES[i % NOTE_PHRASES.length] as string);
      return { query, vertical: lead.vertical, stage: lead.stage };
    });
    const { rows: phones } = (await query(
      `SELECT pn.e164 FROM crm.phone_numbers pn
       WHERE pn.id % greatest((SELECT max(id) FROM crm.phone_numbers) / $1, 1) = 0
         AND EXISTS (SELECT 1 FROM crm.lead_phone_numbers lp WHERE lp.phone_number_id = pn.id)
       ORDER BY pn.id LIMIT $1`,
      [size],
    )) as { rows: { e164: string }[] };
    const groupings = ['vertical', 'stage', 'team', 'month', 'quarter', 'owner'];
    const verticals = ['healthcare', 'real_estate', 'salon', 'hospitality', 'home_services', 'automotive'];
    const summary = Array.from({ length: 24 }, (_, i): Args => {
      const args: Args = { group_by: groupings[i % groupings.length] as string };
      if (i % 3 === 1) args.vertical = verticals[i % verticals.length] as string;
      return args;
    });
    return {
      search_leads: search,
      get_lead_by_phone: phones.map((p) => ({ phone: p.e164 })),
      unified_pipeline_summary: summary,
    };
  }
}

/** The arguments a peer receives for the same call: every parameter of its statement, in the form its SQL binds. */
export function peerArgs(tool: keyof Workload, args: Args): Args {
  if (tool === 'get_lead_by_phone') return { e164: args.phone as string, pii: true };
  if (tool === 'search_leads') return { ...args, pii: true, walk_limit: NOTE_WALK_LIMIT, value_rows: 21 };
  return args;
}
