/**
 * The three leads tools as the peers run them: the very statement text Switchboard's gateway sends for a first page
 * (the tool's SQL inside the gateway's ORDER BY … LIMIT maxRows + 1 wrapper), with the named parameters turned into
 * `$n` in order of first use, and each parameter's type as the peers declare it. search_leads by relevance is up to
 * four statements in Switchboard (the name and company matches; if the page has room, the email-only ones, for a
 * query without whitespace; then, if it still has room, the note-only ones, by the walk when nothing was ranked and
 * otherwise or when the walk falls short by the lexemes indexed by stage and week, with a vertical or a stage, or
 * by the text index, without); a peer runs one statement per tool, so it gets the same parts, each run only when
 * Switchboard would run it, in one statement.
 */
import { LEADS_BY_PHONE_SQL } from '../../../examples/leads/queries/lead-detail.js';
import { PIPELINE_SUMMARY_ORDER, PIPELINE_SUMMARY_SQL } from '../../../examples/leads/queries/pipeline-summary.js';
import {
  EMAIL_MATCHES_SQL,
  NOTE_MATCHES_BY_WEEK_SQL,
  NOTE_MATCHES_INDEXED_SQL,
  NOTE_MATCHES_WALK_SQL,
  RANKED_FIRST_PAGE_SQL,
  SEARCH_ORDERS,
} from '../../../examples/leads/queries/search-leads.js';

export type ParamType = 'string' | 'integer' | 'boolean';

export interface ToolStatement {
  /** The tool's name, the same on every server. */
  name: 'search_leads' | 'get_lead_by_phone' | 'unified_pipeline_summary';
  /** Positional SQL ($1 …). */
  text: string;
  /** Parameter names in $n order, with their types. */
  params: { name: string; type: ParamType }[];
}

const TYPES: Record<string, ParamType> = {
  owner_id: 'integer',
  pii: 'boolean',
  after_id: 'integer',
  walk_limit: 'integer',
  value_rows: 'integer',
};

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

/** Whether the page still has room after the ranked and email parts, and the walk (if it ran) fell short. */
const NOTES_NEEDED =
  '(SELECT count(*) FROM ranked) + (SELECT count(*) FROM emails) <= 20 AND (SELECT count(*) FROM walked) <= 20';

const relevanceFirstPage = `WITH ranked AS MATERIALIZED (${wrap(RANKED_FIRST_PAGE_SQL, SEARCH_ORDERS.relevance, 20)}),
emails AS MATERIALIZED (
  SELECT * FROM (${wrap(EMAIL_MATCHES_SQL, SEARCH_ORDERS.relevance, 20)}) AS email
  WHERE (SELECT count(*) FROM ranked) <= 20 AND :query::text !~ '[ \\t\\n\\r\\f\\v]'
),
walked AS MATERIALIZED (
  SELECT * FROM (${wrap(NOTE_MATCHES_WALK_SQL, undefined, 20)}) AS walk
  WHERE NOT EXISTS (SELECT 1 FROM ranked) AND NOT EXISTS (SELECT 1 FROM emails)
)
${wrap(
  [
    'SELECT * FROM ranked',
    'SELECT * FROM emails',
    'SELECT * FROM walked WHERE (SELECT count(*) FROM walked) > 20',
    `SELECT * FROM (${wrap(NOTE_MATCHES_INDEXED_SQL, undefined, 20)}) AS indexed
     WHERE ${NOTES_NEEDED} AND :vertical::text IS NULL AND :stage::text IS NULL`,
    `SELECT * FROM (${wrap(NOTE_MATCHES_BY_WEEK_SQL, undefined, 20)}) AS by_week
     WHERE ${NOTES_NEEDED} AND (:vertical::text IS NOT NULL OR :stage::text IS NOT NULL)`,
  ].join('\nUNION ALL\n'),
  SEARCH_ORDERS.relevance,
  20,
)}`;

export const TOOL_STATEMENTS: readonly ToolStatement[] = [
  positional('search_leads', relevanceFirstPage),
  positional('get_lead_by_phone', wrap(LEADS_BY_PHONE_SQL, undefined, 25)),
  positional('unified_pipeline_summary', wrap(PIPELINE_SUMMARY_SQL, PIPELINE_SUMMARY_ORDER, 120)),
];
