/**
 * Counts, value, conversion and time in stage for every stage of every vertical's pipeline, unified by stage kind
 * and grouped by vertical, team, owner, month or quarter. It reads only the trigger-maintained rollups, never the
 * lead tables: for the flow through each stage in the period, `reporting.pipeline_stage_monthly` (per owner, about
 * 20,000 rows a year at a million leads) when it groups or filters by owner, else
 * `reporting.pipeline_stage_monthly_team` (the same summed over owners, a tenth of the rows); and
 * `reporting.pipeline_stage_snapshot` for what sits in each stage now. The gateway plans each call for its values,
 * so only one of the two flow sources is read.
 */
const SEGMENT = (owner: string, team: string, vertical: string, month: string) => `CASE :group_by::text
    WHEN 'vertical' THEN ${vertical}
    WHEN 'team' THEN ${team}
    WHEN 'owner' THEN ${owner}
    WHEN 'month' THEN ${month === 'NULL' ? 'NULL' : `to_char(${month}, 'YYYY-MM')`}
    WHEN 'quarter' THEN ${month === 'NULL' ? 'NULL' : `to_char(${month}, 'YYYY-"Q"Q')`}
    ELSE 'all' END`;

/** Whether the call needs the owner-level flow rollup (grouped or filtered by owner). Never NULL. */
const BY_OWNER = `(:group_by::text IS NOT DISTINCT FROM 'owner' OR :owner_id::integer IS NOT NULL)`;

const OWNER = (alias: string) => `coalesce(${alias}.full_name || ' (#' || ${alias}.id || ')', 'unassigned')`;

/**
 * The summary statement: flow per segment and stage kind, joined with what sits in each stage now. A flow segment
 * is never NULL, so the join's plain equality (which can hash) matches exactly what IS NOT DISTINCT FROM would.
 */
export const PIPELINE_SUMMARY_SQL = `
WITH bounds AS (
  SELECT coalesce(to_date(:from_month::text, 'YYYY-MM'), date_trunc('month', now() - interval '11 months')::date) AS first_month,
         coalesce(to_date(:to_month::text, 'YYYY-MM'), date_trunc('month', now())::date) AS last_month
), flow AS (
  SELECT ${SEGMENT(OWNER('o'), 't.slug', 'v.slug', 'm.month')} AS segment,
         s.stage_kind, min(s.position) AS position,
         sum(m.entered) AS entered, sum(m.exited) AS exited, sum(m.advanced) AS advanced, sum(m.lost) AS lost,
         sum(m.seconds_in_stage) AS seconds_in_stage, sum(m.entered_mrr_cents) AS entered_mrr_cents,
         max(m.updated_at) AS last_change_at
  FROM (
    SELECT month, stage_id, team_id, owner_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents, updated_at
    FROM reporting.pipeline_stage_monthly
    WHERE ${BY_OWNER}
    UNION ALL
    SELECT month, stage_id, team_id, NULL::integer, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents, updated_at
    FROM reporting.pipeline_stage_monthly_team
    WHERE NOT (${BY_OWNER})
  ) m
  CROSS JOIN bounds b
  JOIN crm.pipeline_stages s ON s.id = m.stage_id
  JOIN crm.pipelines pl ON pl.id = s.pipeline_id
  JOIN crm.verticals v ON v.id = pl.vertical_id
  JOIN crm.teams t ON t.id = m.team_id
  LEFT JOIN crm.owners o ON o.id = m.owner_id
  WHERE m.month BETWEEN b.first_month AND b.last_month
    AND (:vertical::text IS NULL OR v.slug = :vertical::text)
    AND (:team::text IS NULL OR t.slug = :team::text)
    AND (:owner_id::integer IS NULL OR m.owner_id = :owner_id::integer)
  GROUP BY 1, 2
), now_in_stage AS (
  SELECT ${SEGMENT(OWNER('o'), 't.slug', 'v.slug', 'NULL')} AS segment,
         s.stage_kind, sum(n.lead_count) AS lead_count, sum(n.mrr_cents) AS mrr_cents,
         sum(n.entered_epoch_sum) AS entered_epoch_sum, max(n.updated_at) AS last_change_at
  FROM reporting.pipeline_stage_snapshot n
  JOIN crm.pipeline_stages s ON s.id = n.stage_id
  JOIN crm.pipelines pl ON pl.id = s.pipeline_id
  JOIN crm.verticals v ON v.id = pl.vertical_id
  JOIN crm.teams t ON t.id = n.team_id
  LEFT JOIN crm.owners o ON o.id = n.owner_id
  WHERE (:vertical::text IS NULL OR v.slug = :vertical::text)
    AND (:team::text IS NULL OR t.slug = :team::text)
    AND (:owner_id::integer IS NULL OR n.owner_id = :owner_id::integer)
  GROUP BY 1, 2
)
SELECT
  f.segment,
  f.stage_kind AS stage,
  f.position::integer AS position,
  f.entered::integer AS entered,
  f.advanced::integer AS advanced,
  f.lost::integer AS lost,
  (f.entered - f.exited)::integer AS still_in_stage,
  round(f.advanced::numeric / nullif(f.exited, 0), 3)::float8 AS conversion_rate,
  round(f.seconds_in_stage::numeric / 86400 / nullif(f.exited, 0), 1)::float8 AS avg_days_in_stage,
  f.entered_mrr_cents::bigint AS entered_mrr_cents,
  round(sum(f.entered) FILTER (WHERE f.stage_kind = 'won') OVER w::numeric
        / nullif(sum(f.entered) FILTER (WHERE f.stage_kind = 'new') OVER w, 0), 3)::float8 AS segment_win_rate,
  n.lead_count::integer AS leads_in_stage_now,
  n.mrr_cents::bigint AS mrr_in_stage_now_cents,
  round(((extract(epoch FROM now()) - n.entered_epoch_sum::numeric / nullif(n.lead_count, 0)) / 86400)::numeric, 1)::float8 AS avg_days_in_stage_now,
  (SELECT first_month FROM bounds) AS period_start,
  ((SELECT last_month FROM bounds) + interval '1 month' - interval '1 day')::date AS period_end,
  greatest(f.last_change_at, n.last_change_at) AS last_change_at
FROM flow f
LEFT JOIN now_in_stage n ON n.segment = f.segment AND n.stage_kind = f.stage_kind
WINDOW w AS (PARTITION BY f.segment)`;

/** Segments in order, stages in funnel order within each. */
export const PIPELINE_SUMMARY_ORDER = 'segment, position';
