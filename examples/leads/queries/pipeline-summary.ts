/**
 * Counts, value, conversion and time in stage for every stage of every vertical's pipeline, unified by stage kind
 * and grouped by vertical, team, owner, month or quarter. It reads only the trigger-maintained rollups, never the
 * lead tables: for the flow through each stage in the period, `reporting.pipeline_stage_monthly` (per owner, about
 * 20,000 rows a year at a million leads) when it groups or filters by owner, else
 * `reporting.pipeline_stage_monthly_team` (the same summed over owners, a tenth of the rows); and
 * `reporting.pipeline_stage_snapshot` for what sits in each stage now. The gateway plans each call for its values,
 * so only one of the two flow sources is read.
 *
 * Each source is first summed per stage and per the group's key (a team or owner id, or a month), on integers and
 * dates; those sums are summed again per segment key and stage kind, and only the result's rows are labelled.
 * Labelling and joining every rollup row first (a text key per row, an owner lookup per row) cost most of the call.
 * The period's bounds are computed once per call (init plans), not per rollup row, so they can also use the
 * rollups' keys, which start with the month.
 */

/** The group's integer key in a rollup row: its team or owner; NULL (one group) for the other groupings. */
const KEY_ID = `CASE :group_by::text WHEN 'team' THEN team_id WHEN 'owner' THEN owner_id END`;

/** The group's month key in a flow row: its month or the first month of its quarter; NULL for the others. */
const KEY_MONTH = `CASE :group_by::text WHEN 'month' THEN month WHEN 'quarter' THEN date_trunc('quarter', month)::date END`;

/**
 * The segment's integer key in a stage-joined row (`k` a keyed sum, `pl` its stage's pipeline): the vertical, or
 * the row's team or owner; NULL for one group over all or per period (and for the owner of unassigned leads).
 */
const SEGMENT_ID = `CASE :group_by::text WHEN 'vertical' THEN pl.vertical_id::integer ELSE k.key_id END`;

/** The segment label of a group of the result (`f`), from its keys joined to their names: one per key. */
const SEGMENT = `CASE :group_by::text
    WHEN 'vertical' THEN v.slug
    WHEN 'team' THEN t.slug
    WHEN 'owner' THEN coalesce(o.full_name || ' (#' || o.id || ')', 'unassigned')
    WHEN 'month' THEN to_char(f.key_month, 'YYYY-MM')
    WHEN 'quarter' THEN to_char(f.key_month, 'YYYY-"Q"Q')
    ELSE 'all' END`;

/** Whether the call needs the owner-level flow rollup (grouped or filtered by owner). Never NULL. */
const BY_OWNER = `(:group_by::text IS NOT DISTINCT FROM 'owner' OR :owner_id::integer IS NOT NULL)`;

const FIRST_MONTH = `coalesce(to_date(:from_month::text, 'YYYY-MM'), date_trunc('month', now() - interval '11 months')::date)`;
const LAST_MONTH = `coalesce(to_date(:to_month::text, 'YYYY-MM'), date_trunc('month', now())::date)`;

/** The filters every rollup row must pass, before any join: the stage's vertical, the team and the owner. */
const ROW_FILTERS = `(:vertical::text IS NULL OR stage_id IN (
      SELECT s.id FROM crm.pipeline_stages s JOIN crm.pipelines pl ON pl.id = s.pipeline_id
      JOIN crm.verticals v ON v.id = pl.vertical_id WHERE v.slug = :vertical::text))
    AND (:team::text IS NULL OR team_id IN (SELECT id FROM crm.teams WHERE slug = :team::text))
    AND (:owner_id::integer IS NULL OR owner_id = :owner_id::integer)`;

const FLOW_COLUMNS =
  'month, stage_id, team_id, owner_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents, updated_at';

/**
 * The summary statement: flow per segment key and stage kind, joined with what sits in each stage now (never for
 * month or quarter groups, whose segments no snapshot row has), and only then labelled. The join matches keys as IS
 * NOT DISTINCT FROM would, in a form that can hash (NULL is the unassigned owner, or the one group of all leads).
 * The window partitions by the keys, which is by segment: slugs are unique and an owner's label carries its id.
 */
export const PIPELINE_SUMMARY_SQL = `
WITH flow_keyed AS (
  SELECT stage_id, ${KEY_ID} AS key_id, ${KEY_MONTH} AS key_month,
         sum(entered) AS entered, sum(exited) AS exited, sum(advanced) AS advanced, sum(lost) AS lost,
         sum(seconds_in_stage) AS seconds_in_stage, sum(entered_mrr_cents) AS entered_mrr_cents,
         max(updated_at) AS last_change_at
  FROM (
    SELECT ${FLOW_COLUMNS}
    FROM reporting.pipeline_stage_monthly
    WHERE ${BY_OWNER} AND month BETWEEN (SELECT ${FIRST_MONTH}) AND (SELECT ${LAST_MONTH})
    UNION ALL
    SELECT month, stage_id, team_id, NULL::integer, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents, updated_at
    FROM reporting.pipeline_stage_monthly_team
    WHERE NOT (${BY_OWNER}) AND month BETWEEN (SELECT ${FIRST_MONTH}) AND (SELECT ${LAST_MONTH})
  ) m
  WHERE ${ROW_FILTERS}
  GROUP BY 1, 2, 3
), flow AS (
  SELECT ${SEGMENT_ID} AS segment_id, k.key_month, s.stage_kind, min(s.position) AS position,
         sum(k.entered) AS entered, sum(k.exited) AS exited, sum(k.advanced) AS advanced, sum(k.lost) AS lost,
         sum(k.seconds_in_stage) AS seconds_in_stage, sum(k.entered_mrr_cents) AS entered_mrr_cents,
         max(k.last_change_at) AS last_change_at
  FROM flow_keyed k
  JOIN crm.pipeline_stages s ON s.id = k.stage_id
  JOIN crm.pipelines pl ON pl.id = s.pipeline_id
  GROUP BY 1, 2, 3
), now_keyed AS (
  SELECT stage_id, ${KEY_ID} AS key_id,
         sum(lead_count) AS lead_count, sum(mrr_cents) AS mrr_cents,
         sum(entered_epoch_sum) AS entered_epoch_sum, max(updated_at) AS last_change_at
  FROM reporting.pipeline_stage_snapshot
  WHERE :group_by::text NOT IN ('month', 'quarter') AND ${ROW_FILTERS}
  GROUP BY 1, 2
), now_in_stage AS (
  SELECT ${SEGMENT_ID} AS segment_id, s.stage_kind, sum(k.lead_count) AS lead_count, sum(k.mrr_cents) AS mrr_cents,
         sum(k.entered_epoch_sum) AS entered_epoch_sum, max(k.last_change_at) AS last_change_at
  FROM now_keyed k
  JOIN crm.pipeline_stages s ON s.id = k.stage_id
  JOIN crm.pipelines pl ON pl.id = s.pipeline_id
  GROUP BY 1, 2
)
SELECT
  ${SEGMENT} AS segment,
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
  ${FIRST_MONTH} AS period_start,
  (${LAST_MONTH} + interval '1 month' - interval '1 day')::date AS period_end,
  greatest(f.last_change_at, n.last_change_at) AS last_change_at
FROM flow f
LEFT JOIN now_in_stage n ON coalesce(n.segment_id, 0) = coalesce(f.segment_id, 0)
  AND (n.segment_id IS NULL) = (f.segment_id IS NULL) AND n.stage_kind = f.stage_kind
LEFT JOIN crm.verticals v ON :group_by::text = 'vertical' AND v.id = f.segment_id
LEFT JOIN crm.teams t ON :group_by::text = 'team' AND t.id = f.segment_id
LEFT JOIN crm.owners o ON :group_by::text = 'owner' AND o.id = f.segment_id
WINDOW w AS (PARTITION BY f.segment_id, f.key_month)`;

/** Segments in order, stages in funnel order within each. */
export const PIPELINE_SUMMARY_ORDER = 'segment, position';
