-- A caller who may see every team (claim "teams": ["*"]) made each pipeline rollup check team_id = ANY (all the
-- team ids), which PostgreSQL served by reading the whole team_id index of reporting.pipeline_stage_monthly (all
-- 25,000 rows at a million leads, every month ever) and dropping the months outside the period only afterwards.
-- As crm.searchable_leads does since 021, the policies now ask once per statement whether the caller sees every
-- team, and only check each row's team otherwise, so the summary reads just the period's months (through the
-- rollups' keys, which start with the month).
ALTER POLICY monthly_of_caller_teams ON reporting.pipeline_stage_monthly
  USING ((SELECT crm.caller_sees_all_teams()) OR team_id = ANY ((SELECT crm.caller_team_ids())::integer[]));
COMMENT ON POLICY monthly_of_caller_teams ON reporting.pipeline_stage_monthly IS 'A caller sees the stage flow of the teams its token names (all of it for "*").';

ALTER POLICY monthly_team_of_caller_teams ON reporting.pipeline_stage_monthly_team
  USING ((SELECT crm.caller_sees_all_teams()) OR team_id = ANY ((SELECT crm.caller_team_ids())::integer[]));
COMMENT ON POLICY monthly_team_of_caller_teams ON reporting.pipeline_stage_monthly_team IS 'A caller sees the stage flow of the teams its token names (all of it for "*").';

ALTER POLICY snapshot_of_caller_teams ON reporting.pipeline_stage_snapshot
  USING ((SELECT crm.caller_sees_all_teams()) OR team_id = ANY ((SELECT crm.caller_team_ids())::integer[]));
COMMENT ON POLICY snapshot_of_caller_teams ON reporting.pipeline_stage_snapshot IS 'A caller sees what sits in the stages of the teams its token names (all of it for "*").';
