-- unified_pipeline_summary read every owner's row of reporting.pipeline_stage_monthly (about 20,000 for a year at a
-- million leads) and joined each to its stage, pipeline, vertical and team before grouping, even when it groups by
-- vertical, team, stage or period. This rollup holds the same flow per month, stage and team, without the owner
-- (about a tenth of the rows), and statement-level triggers on the owner-level rollup keep it equal to that
-- rollup's sums in the same transaction. The summary reads it unless it groups or filters by owner.
CREATE TABLE reporting.pipeline_stage_monthly_team (
  month date NOT NULL,
  stage_id integer NOT NULL REFERENCES crm.pipeline_stages (id),
  team_id integer NOT NULL REFERENCES crm.teams (id),
  entered integer NOT NULL DEFAULT 0,
  exited integer NOT NULL DEFAULT 0,
  advanced integer NOT NULL DEFAULT 0,
  lost integer NOT NULL DEFAULT 0,
  seconds_in_stage bigint NOT NULL DEFAULT 0,
  entered_mrr_cents bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (month, stage_id, team_id)
);
CREATE INDEX pipeline_stage_monthly_team_stage_idx ON reporting.pipeline_stage_monthly_team (stage_id);
CREATE INDEX pipeline_stage_monthly_team_team_idx ON reporting.pipeline_stage_monthly_team (team_id);
COMMENT ON TABLE reporting.pipeline_stage_monthly_team IS 'reporting.pipeline_stage_monthly summed over owners (stage flow per month of entry, stage and team), kept equal to it by triggers; read by summaries that neither group nor filter by owner.';

-- Signed deltas again: what a statement added to the owner-level rollup, minus what it took away.
CREATE FUNCTION reporting.apply_monthly_team_delta() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  added text := 'SELECT month, stage_id, team_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents FROM new_rows';
  removed text := 'SELECT month, stage_id, team_id, -entered, -exited, -advanced, -lost, -seconds_in_stage, -entered_mrr_cents FROM old_rows';
  source text := CASE TG_OP WHEN 'INSERT' THEN added WHEN 'DELETE' THEN removed ELSE added || ' UNION ALL ' || removed END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO reporting.pipeline_stage_monthly_team AS m
      (month, stage_id, team_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents, updated_at)
    SELECT d.month, d.stage_id, d.team_id, sum(d.entered), sum(d.exited), sum(d.advanced), sum(d.lost),
           sum(d.seconds_in_stage), sum(d.entered_mrr_cents), now()
    FROM (%s) AS d (month, stage_id, team_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents)
    GROUP BY 1, 2, 3
    ON CONFLICT (month, stage_id, team_id) DO UPDATE SET
      entered = m.entered + EXCLUDED.entered,
      exited = m.exited + EXCLUDED.exited,
      advanced = m.advanced + EXCLUDED.advanced,
      lost = m.lost + EXCLUDED.lost,
      seconds_in_stage = m.seconds_in_stage + EXCLUDED.seconds_in_stage,
      entered_mrr_cents = m.entered_mrr_cents + EXCLUDED.entered_mrr_cents,
      updated_at = EXCLUDED.updated_at
  $sql$, source);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION reporting.apply_monthly_team_delta() IS 'Statement trigger on reporting.pipeline_stage_monthly: folds the rows a statement inserted, updated or deleted into reporting.pipeline_stage_monthly_team.';

CREATE TRIGGER team_rollup_insert AFTER INSERT ON reporting.pipeline_stage_monthly
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_monthly_team_delta();
CREATE TRIGGER team_rollup_update AFTER UPDATE ON reporting.pipeline_stage_monthly
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_monthly_team_delta();
CREATE TRIGGER team_rollup_delete AFTER DELETE ON reporting.pipeline_stage_monthly
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_monthly_team_delta();

CREATE FUNCTION reporting.rebuild_pipeline_team_rollup() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM reporting.pipeline_stage_monthly_team;
  INSERT INTO reporting.pipeline_stage_monthly_team
    (month, stage_id, team_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents)
  SELECT month, stage_id, team_id, sum(entered), sum(exited), sum(advanced), sum(lost), sum(seconds_in_stage),
         sum(entered_mrr_cents)
  FROM reporting.pipeline_stage_monthly
  GROUP BY 1, 2, 3;
$$;
COMMENT ON FUNCTION reporting.rebuild_pipeline_team_rollup() IS 'Recomputes reporting.pipeline_stage_monthly_team from reporting.pipeline_stage_monthly (after a bulk load with triggers disabled, or to check it).';

-- The rebuild of both rollups (a bulk load runs it with triggers off) now ends with the team rollup.
CREATE OR REPLACE FUNCTION reporting.rebuild_pipeline_rollups() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM reporting.pipeline_stage_monthly;
  DELETE FROM reporting.pipeline_stage_snapshot;
  INSERT INTO reporting.pipeline_stage_monthly
    (month, stage_id, team_id, owner_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents)
  SELECT date_trunc('month', h.entered_at AT TIME ZONE 'UTC')::date, h.stage_id, h.team_id, h.owner_id,
         count(*), count(h.exited_at),
         count(*) FILTER (WHERE nxt.stage_kind <> 'lost' AND nxt.position > cur.position),
         count(*) FILTER (WHERE nxt.stage_kind = 'lost'),
         coalesce(sum(extract(epoch FROM h.exited_at - h.entered_at)), 0)::bigint,
         sum(h.estimated_mrr_cents)
  FROM crm.lead_stage_history h
  JOIN crm.pipeline_stages cur ON cur.id = h.stage_id
  LEFT JOIN crm.pipeline_stages nxt ON nxt.id = h.next_stage_id
  GROUP BY 1, 2, 3, 4;
  INSERT INTO reporting.pipeline_stage_snapshot (stage_id, team_id, owner_id, lead_count, mrr_cents, entered_epoch_sum)
  SELECT stage_id, team_id, owner_id, count(*), sum(estimated_mrr_cents), sum(extract(epoch FROM stage_entered_at)::bigint)
  FROM crm.leads
  GROUP BY 1, 2, 3;
  SELECT reporting.rebuild_pipeline_team_rollup();
$$;

SELECT reporting.rebuild_pipeline_team_rollup();

ALTER TABLE reporting.pipeline_stage_monthly_team ENABLE ROW LEVEL SECURITY;
CREATE POLICY monthly_team_of_caller_teams ON reporting.pipeline_stage_monthly_team FOR SELECT TO leads_reader
  USING (team_id = ANY ((SELECT crm.caller_team_ids())::integer[]));
GRANT SELECT ON reporting.pipeline_stage_monthly_team TO leads_reader;
