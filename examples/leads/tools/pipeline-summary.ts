import type { Switchboard } from 'switchboard-mcp';
import { type Database, prepareQuery } from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY, READ_SCOPE } from '../caller.js';
import { PIPELINE_SUMMARY_ORDER, PIPELINE_SUMMARY_SQL } from '../queries/pipeline-summary.js';
import type { Vocabulary } from '../vocabulary.js';
import { isoMonth } from './dates.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const FRESHNESS =
  'Read from rollups that statement-level triggers update in the same transaction as every lead and stage change: they are exactly as current as the leads themselves.';

/**
 * `unified_pipeline_summary`: one gateway query over the maintained rollups, wrapped to state the period and the
 * rollups' freshness once instead of on every row.
 */
export async function registerPipelineSummary(
  server: Switchboard,
  db: Database,
  words: Vocabulary,
  cursorSecret?: string,
): Promise<void> {
  const query = await prepareQuery(db, {
    name: 'unified_pipeline_summary',
    input: {
      group_by: z
        .enum(['stage', 'vertical', 'team', 'owner', 'month', 'quarter'])
        .default('vertical')
        .describe(
          'What each row group is: all pipelines together (stage), or per vertical, team, owner, month or quarter',
        ),
      vertical: z.enum(words.verticals).optional().describe("Only this vertical's pipeline"),
      team: z.enum(words.teams).optional().describe('Only this team'),
      owner_id: z.number().int().positive().optional().describe('Only this rep (crm.owners.id)'),
      from_month: isoMonth
        .optional()
        .describe('First month of the period, YYYY-MM (default: 11 months before this one)'),
      to_month: isoMonth.optional().describe('Last month of the period, YYYY-MM (default: this month)'),
    },
    sql: PIPELINE_SUMMARY_SQL,
    orderBy: PIPELINE_SUMMARY_ORDER,
    paginate: cursorSecret === undefined ? true : { secret: cursorSecret },
    maxRows: 120,
    timeoutMs: 3_000,
    identity: CALLER_IDENTITY,
  });
  server.tool(
    'unified_pipeline_summary',
    {
      title: 'Unified pipeline summary',
      description:
        'Funnel numbers for every vertical\'s sales pipeline on one scale (new, contacted, qualified, demo, trial, negotiation, won, lost), per group: leads that entered each stage in the period, how many moved forward or were lost, conversion_rate (moved forward / left the stage), avg_days_in_stage for those that left, expected MRR entering the stage (cents), segment_win_rate (won / new), and what sits in each stage now with its MRR and average age (not for month or quarter groups). Months are by when a lead entered the stage, UTC. Long results page: pass "nextCursor" back as "cursor".',
      input: query.inputSchema,
      annotations: READ_ONLY,
      scopes: [READ_SCOPE],
    },
    async (args, ctx) => {
      const page = await query.run(args as Parameters<typeof query.run>[0], ctx);
      const first = page.rows[0];
      const lastChange = page.rows.reduce<string | null>((latest, row) => {
        const at = row.last_change_at === null ? null : String(row.last_change_at);
        return at !== null && (latest === null || at > latest) ? at : latest;
      }, null);
      return {
        period: first === undefined ? null : { from: first.period_start, to: first.period_end },
        freshness: { maintained_by: FRESHNESS, as_of: new Date().toISOString(), last_change_at: lastChange },
        rows: page.rows.map(({ period_start: _start, period_end: _end, last_change_at: _change, ...row }) => row),
        truncated: page.truncated,
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
  );
}
