-- Maintained rollups for the pipeline summary: a GROUP BY over a million leads and their stage history costs
-- seconds, so statement-level triggers keep these small tables current in the same transaction as every change
-- (one aggregated upsert per statement, so bulk loads stay fast).
CREATE TABLE reporting.pipeline_stage_monthly (
  month date NOT NULL,
  stage_id integer NOT NULL REFERENCES crm.pipeline_stages (id),
  team_id integer NOT NULL REFERENCES crm.teams (id),
  owner_id integer REFERENCES crm.owners (id),
  entered integer NOT NULL DEFAULT 0,
  exited integer NOT NULL DEFAULT 0,
  advanced integer NOT NULL DEFAULT 0,
  lost integer NOT NULL DEFAULT 0,
  seconds_in_stage bigint NOT NULL DEFAULT 0,
  entered_mrr_cents bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pipeline_stage_monthly_key ON reporting.pipeline_stage_monthly (month, stage_id, team_id, owner_id) NULLS NOT DISTINCT;
CREATE INDEX pipeline_stage_monthly_stage_idx ON reporting.pipeline_stage_monthly (stage_id);
CREATE INDEX pipeline_stage_monthly_team_idx ON reporting.pipeline_stage_monthly (team_id);
CREATE INDEX pipeline_stage_monthly_owner_idx ON reporting.pipeline_stage_monthly (owner_id);
COMMENT ON TABLE reporting.pipeline_stage_monthly IS 'Stage flow per month of entry, stage, team and owner, kept current by triggers on crm.lead_stage_history: leads that entered, left, moved forward or were lost, and time spent in the stage by those that left.';
COMMENT ON COLUMN reporting.pipeline_stage_monthly.month IS 'First day (UTC) of the month the stage was entered.';
COMMENT ON COLUMN reporting.pipeline_stage_monthly.advanced IS 'Entries that left the stage for a later stage other than lost.';
COMMENT ON COLUMN reporting.pipeline_stage_monthly.seconds_in_stage IS 'Total seconds spent in the stage by the entries that left it.';

CREATE TABLE reporting.pipeline_stage_snapshot (
  stage_id integer NOT NULL REFERENCES crm.pipeline_stages (id),
  team_id integer NOT NULL REFERENCES crm.teams (id),
  owner_id integer REFERENCES crm.owners (id),
  lead_count integer NOT NULL DEFAULT 0,
  mrr_cents bigint NOT NULL DEFAULT 0,
  entered_epoch_sum bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pipeline_stage_snapshot_key ON reporting.pipeline_stage_snapshot (stage_id, team_id, owner_id) NULLS NOT DISTINCT;
CREATE INDEX pipeline_stage_snapshot_team_idx ON reporting.pipeline_stage_snapshot (team_id);
CREATE INDEX pipeline_stage_snapshot_owner_idx ON reporting.pipeline_stage_snapshot (owner_id);
COMMENT ON TABLE reporting.pipeline_stage_snapshot IS 'Leads in each stage right now, per team and owner, kept current by triggers on crm.leads: how many, their expected MRR, and the sum of their stage-entry times (for the average age in stage).';
COMMENT ON COLUMN reporting.pipeline_stage_snapshot.entered_epoch_sum IS 'Sum of stage_entered_at as Unix seconds; now() minus sum/lead_count is the average time in stage.';

-- Both rollups take signed deltas: +1 rows for what a statement added, -1 rows for what it removed.
CREATE FUNCTION reporting.apply_stage_history_delta() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  source text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1, * FROM old_rows'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO reporting.pipeline_stage_monthly AS m
      (month, stage_id, team_id, owner_id, entered, exited, advanced, lost, seconds_in_stage, entered_mrr_cents, updated_at)
    SELECT date_trunc('month', h.entered_at AT TIME ZONE 'UTC')::date, h.stage_id, h.team_id, h.owner_id,
           sum(h.sign),
           coalesce(sum(h.sign) FILTER (WHERE h.exited_at IS NOT NULL), 0),
           coalesce(sum(h.sign) FILTER (WHERE nxt.stage_kind <> 'lost' AND nxt.position > cur.position), 0),
           coalesce(sum(h.sign) FILTER (WHERE nxt.stage_kind = 'lost'), 0),
           coalesce(sum(h.sign * extract(epoch FROM h.exited_at - h.entered_at)), 0)::bigint,
           sum(h.sign * h.estimated_mrr_cents::bigint),
           now()
    FROM (%s) h
    JOIN crm.pipeline_stages cur ON cur.id = h.stage_id
    LEFT JOIN crm.pipeline_stages nxt ON nxt.id = h.next_stage_id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (month, stage_id, team_id, owner_id) DO UPDATE SET
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
COMMENT ON FUNCTION reporting.apply_stage_history_delta() IS 'Statement trigger on crm.lead_stage_history: folds the rows a statement inserted, updated or deleted into reporting.pipeline_stage_monthly.';

CREATE TRIGGER rollup_insert AFTER INSERT ON crm.lead_stage_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_stage_history_delta();
CREATE TRIGGER rollup_update AFTER UPDATE ON crm.lead_stage_history
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_stage_history_delta();
CREATE TRIGGER rollup_delete AFTER DELETE ON crm.lead_stage_history
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_stage_history_delta();

CREATE FUNCTION reporting.apply_lead_delta() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  source text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, stage_id, team_id, owner_id, estimated_mrr_cents, stage_entered_at FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, stage_id, team_id, owner_id, estimated_mrr_cents, stage_entered_at FROM old_rows'
    -- An update matters only when it moves a lead between keys or changes its value or stage-entry time.
    ELSE 'SELECT d.* FROM new_rows n JOIN old_rows o USING (id)
          CROSS JOIN LATERAL (VALUES
            (1, n.stage_id, n.team_id, n.owner_id, n.estimated_mrr_cents, n.stage_entered_at),
            (-1, o.stage_id, o.team_id, o.owner_id, o.estimated_mrr_cents, o.stage_entered_at)
          ) AS d (sign, stage_id, team_id, owner_id, estimated_mrr_cents, stage_entered_at)
          WHERE (n.stage_id, n.team_id, n.owner_id, n.estimated_mrr_cents, n.stage_entered_at)
             IS DISTINCT FROM (o.stage_id, o.team_id, o.owner_id, o.estimated_mrr_cents, o.stage_entered_at)'
  END;
BEGIN
  EXECUTE format($sql$
    INSERT INTO reporting.pipeline_stage_snapshot AS s (stage_id, team_id, owner_id, lead_count, mrr_cents, entered_epoch_sum, updated_at)
    SELECT d.stage_id, d.team_id, d.owner_id, sum(d.sign), sum(d.sign * d.estimated_mrr_cents::bigint),
           sum(d.sign * extract(epoch FROM d.stage_entered_at)::bigint), now()
    FROM (%s) d
    GROUP BY 1, 2, 3
    ON CONFLICT (stage_id, team_id, owner_id) DO UPDATE SET
      lead_count = s.lead_count + EXCLUDED.lead_count,
      mrr_cents = s.mrr_cents + EXCLUDED.mrr_cents,
      entered_epoch_sum = s.entered_epoch_sum + EXCLUDED.entered_epoch_sum,
      updated_at = EXCLUDED.updated_at
  $sql$, source);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION reporting.apply_lead_delta() IS 'Statement trigger on crm.leads: folds stage, owner, team and value changes into reporting.pipeline_stage_snapshot.';

CREATE TRIGGER rollup_insert AFTER INSERT ON crm.leads
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_lead_delta();
CREATE TRIGGER rollup_update AFTER UPDATE ON crm.leads
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_lead_delta();
CREATE TRIGGER rollup_delete AFTER DELETE ON crm.leads
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting.apply_lead_delta();

CREATE FUNCTION reporting.rebuild_pipeline_rollups() RETURNS void
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
$$;
COMMENT ON FUNCTION reporting.rebuild_pipeline_rollups() IS 'Recomputes both pipeline rollups from crm.lead_stage_history and crm.leads (after a bulk load with triggers disabled, or to check them).';
