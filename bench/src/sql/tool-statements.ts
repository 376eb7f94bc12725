/**
 * The three leads tools as the peers run them: the very statement text Switchboard's gateway sends for a first page
 * (the tool's SQL inside the gateway's ORDER BY … LIMIT maxRows + 1 wrapper), with the named parameters turned into
 * `$n` in order of first use, and each parameter's type as the peers declare it. search_leads by relevance is two
 * statements in Switchboard (the ranked matches, then the note-only ones if the page has room); a peer runs one
 * statement per tool, so it gets both first pages in one UNION ALL, cut to the same first page.
 */
import { LEADS_BY_PHONE_SQL } from '../../../examples/leads/queries/lead-detail.js';
import { PIPELINE_SUMMARY_ORDER, PIPELINE_SUMMARY_SQL } from '../../../examples/leads/queries/pipeline-summary.js';
import { RELEVANCE_PARTS, SEARCH_ORDERS } from '../../../examples/leads/queries/search-leads.js';

export type ParamType = 'string' | 'integer' | 'boolean';

export interface ToolStatement {
  /** The tool's name, the same on every server. */
  name: 'search_leads' | 'get_lead_by_phone' | 'unified_pipeline_summary';
  /** Positional SQL ($1 …). */
  text: string;
  /** Parameter names in $n order, with their types. */
  params: { name: string; type: ParamType }[];
}

const TYPES: Record<string, ParamType> = { owner_id: 'integer', pii: 'boolean' };

function positional(name: ToolStatement['name'], named: string): ToolStatement {
  const params: ToolStatement['params'] = [];
  const text = named.replace(/(?<!:):([a-z_][a-z0-9_]*)/g, (_, param: string) => {
    let index = params.findIndex((p) => p.name === param);
    if (index === -1) index = params.push({ name: param, type: TYPES[param] ?? 'string' }) - 1;
    return `$${index + 1}`;
  });
  return { name, text, params };
}

const wrap = (sql: string, order: string | undefined, maxRows: number) => {
  const keys = order?.split(',').map((key) => `sb_rows.${key.trim()}`);
  return `SELECT * FROM (\n${sql}\n) AS sb_rows${keys === undefined ? '' : `\nORDER BY ${keys.join(', ')}`}\nLIMIT ${maxRows + 1}`;
};

const relevanceFirstPage = wrap(
  RELEVANCE_PARTS.map((part) => `(${wrap(part.sql, part.order, 20)})`).join('\nUNION ALL\n'),
  SEARCH_ORDERS.relevance,
  20,
);

export const TOOL_STATEMENTS: readonly ToolStatement[] = [
  positional('search_leads', relevanceFirstPage),
  positional('get_lead_by_phone', wrap(LEADS_BY_PHONE_SQL, undefined, 25)),
  positional('unified_pipeline_summary', wrap(PIPELINE_SUMMARY_SQL, PIPELINE_SUMMARY_ORDER, 120)),
];
