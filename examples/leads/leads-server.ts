import { Switchboard, type SwitchboardOptions } from 'switchboard-mcp';
import type { Database } from 'switchboard-mcp/sql';
import { registerTriagePrompt } from './prompts/triage-lead.js';
import { registerLeadResource } from './resources/lead-resource.js';
import { registerSchemaResources } from './resources/schema-resources.js';
import { rangeOrderGuard } from './tools/dates.js';
import { registerGetLeadByPhone } from './tools/get-lead-by-phone.js';
import { registerPipelineSummary } from './tools/pipeline-summary.js';
import { registerSearchLeads, type SearchTuning } from './tools/search-leads.js';
import { readVocabulary } from './vocabulary.js';

/** Server options (name, logger, …) plus the cursor key the paginated tools share. */
export interface LeadsServerOptions extends Partial<SwitchboardOptions> {
  /** Signs search and summary cursors (at least 32 bytes); set one value on every instance behind a balancer. */
  cursorSecret?: string;
  /** How search_leads reads (its note walk's length, its page's byte cap); the defaults fit a million leads. */
  search?: SearchTuning;
}

const INSTRUCTIONS = `Read-only access to the sales operations database of a company selling AI voice agents to six verticals (healthcare, real estate, salons, hospitality, home services, automotive).
- search_leads finds leads by name, company, email or note text, with filters; get_lead_by_phone takes any phone format; unified_pipeline_summary compares the verticals' funnels.
- Read leads://lead/{id} for one lead in full and leads://schema for what each of the tables means.
- Amounts are US cents. Phone numbers and emails are masked unless your token has the leads:pii scope. You only see leads of the teams your token names.`;

/** The leads MCP server over an open, migrated and seeded database: every statement is checked against it here. */
export async function createLeadsServer(db: Database, options: LeadsServerOptions = {}): Promise<Switchboard> {
  const { cursorSecret, search, ...serverOptions } = options;
  const server = new Switchboard({
    name: 'leads',
    version: '1.0.0',
    title: 'Leads',
    instructions: INSTRUCTIONS,
    ...serverOptions,
  });
  server.use(
    rangeOrderGuard({
      search_leads: ['created_from', 'created_to'],
      unified_pipeline_summary: ['from_month', 'to_month'],
    }),
  );
  const words = await readVocabulary(db);
  await registerSearchLeads(server, db, words, cursorSecret, search);
  await registerGetLeadByPhone(server, db);
  await registerPipelineSummary(server, db, words, cursorSecret);
  const readLead = await registerLeadResource(server, db);
  await registerSchemaResources(server, db);
  registerTriagePrompt(server, readLead);
  return server;
}
