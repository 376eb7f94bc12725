-- search_leads turned its filters' slugs into ids with scalar subqueries, whose values the planner cannot see: it
-- took "stage = lost" (nine leads in ten) for a selective filter, intersected the filter indexes first and then
-- checked the text on a sixth of all leads. These functions give the same ids from the reference tables. They are
-- declared IMMUTABLE, although they read tables, so that the planner folds each call into the constant it returns:
-- every filter is then costed for its real value (the column statistics of crm.leads) and costs nothing per row.
-- That holds because the slugs and stage kinds of the reference tables are fixed (the seed and the migrations write
-- them), and because search_leads is planned for every call (custom plans), so no plan outlives a change.
CREATE FUNCTION crm.stage_ids_of_kind(kind text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT s.id FROM crm.pipeline_stages s WHERE s.stage_kind = stage_ids_of_kind.kind ORDER BY s.id);
COMMENT ON FUNCTION crm.stage_ids_of_kind(text) IS 'Ids of the stages of this kind (new, contacted, …, won, lost) in every vertical''s pipeline (folded into a constant when a statement is planned).';

CREATE FUNCTION crm.vertical_id_of(slug text) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT v.id FROM crm.verticals v WHERE v.slug = vertical_id_of.slug);
COMMENT ON FUNCTION crm.vertical_id_of(text) IS 'Id of the vertical with this slug (folded into a constant when a statement is planned).';

CREATE FUNCTION crm.source_id_of(slug text) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT s.id FROM crm.lead_sources s WHERE s.slug = source_id_of.slug);
COMMENT ON FUNCTION crm.source_id_of(text) IS 'Id of the lead source with this slug (folded into a constant when a statement is planned).';

CREATE FUNCTION billing.plan_id_of(slug text) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT p.id FROM billing.plans p WHERE p.slug = plan_id_of.slug);
COMMENT ON FUNCTION billing.plan_id_of(text) IS 'Id of the plan with this slug (folded into a constant when a statement is planned).';

GRANT EXECUTE ON FUNCTION crm.stage_ids_of_kind(text), crm.vertical_id_of(text), crm.source_id_of(text),
  billing.plan_id_of(text) TO leads_reader;
