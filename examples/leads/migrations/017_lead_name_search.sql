-- Row-level security keeps non-leakproof operators such as ILIKE from becoming index conditions on crm.leads, so
-- a name search under RLS scanned every lead. This function matches names as the table owner (the trigram index
-- applies) and returns only leads of the caller's teams: the same rule as the policy, applied after the index.
-- EXECUTE … USING plans each call for its actual term, so a selective search never falls into a generic full scan.
CREATE FUNCTION crm.leads_with_name_like(term text)
RETURNS TABLE (lead_id bigint, score real)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
ROWS 50
AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT l.id, similarity(l.full_name, $1) FROM crm.leads l
     WHERE l.full_name ILIKE crm.contains_pattern($1) AND l.team_id = ANY (crm.caller_team_ids())'
    USING term;
END
$$;
COMMENT ON FUNCTION crm.leads_with_name_like(text) IS 'Leads of the caller''s teams whose full name contains term (trigram-indexed despite row-level security), with the trigram similarity of the name to term.';
REVOKE ALL ON FUNCTION crm.leads_with_name_like(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm.leads_with_name_like(text) TO leads_reader;
