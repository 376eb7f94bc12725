-- search_leads ranked a name or company match only after reading the lead's row: a common last name or a common
-- company name ("Gentle Smile Dental": 2,900 leads of 2,800 companies at a million leads) read thousands of heap
-- blocks to rank rows whose scores hardly differ. The score of such a match depends on the matched text alone, and
-- there are far fewer distinct names (110,000 at a million leads) and company names (34,000) than leads. So each
-- distinct text is kept once, trigram-indexed, and the leads holding it come from a btree over the text, the
-- filter columns and the sort keys, read index-only: a search ranks index entries and reads only the page's rows.
CREATE TABLE crm.lead_name_values (value text PRIMARY KEY);
COMMENT ON TABLE crm.lead_name_values IS 'Every distinct full name of a lead (crm.leads.full_name), kept by triggers for search_leads; a name no lead has any more stays and matches no lead.';
CREATE TABLE crm.lead_company_values (value text PRIMARY KEY);
COMMENT ON TABLE crm.lead_company_values IS 'Every distinct company name of a lead (crm.leads.company_name), kept by triggers for search_leads; a name no lead has any more stays and matches no lead.';

CREATE FUNCTION crm.add_lead_search_values() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO crm.lead_name_values (value)
    SELECT DISTINCT full_name FROM new_rows WHERE full_name IS NOT NULL ON CONFLICT DO NOTHING;
  INSERT INTO crm.lead_company_values (value)
    SELECT DISTINCT company_name FROM new_rows WHERE company_name IS NOT NULL ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION crm.add_lead_search_values() IS 'Statement trigger on crm.leads: records the names and company names the statement''s rows hold.';
CREATE TRIGGER lead_search_values_insert AFTER INSERT ON crm.leads
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.add_lead_search_values();
CREATE TRIGGER lead_search_values_update AFTER UPDATE ON crm.leads
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm.add_lead_search_values();

CREATE FUNCTION crm.rebuild_lead_search_values() RETURNS void
LANGUAGE sql AS $$
  INSERT INTO crm.lead_name_values (value)
    SELECT DISTINCT full_name FROM crm.leads WHERE full_name IS NOT NULL ON CONFLICT DO NOTHING;
  INSERT INTO crm.lead_company_values (value)
    SELECT DISTINCT company_name FROM crm.leads WHERE company_name IS NOT NULL ON CONFLICT DO NOTHING;
$$;
COMMENT ON FUNCTION crm.rebuild_lead_search_values() IS 'Records the names and company names of every lead (after a bulk load with triggers disabled).';

-- The bulk load rebuilds the search copies with triggers disabled, and now the distinct values with them.
CREATE OR REPLACE FUNCTION crm.rebuild_lead_search() RETURNS void
LANGUAGE sql AS $$
  UPDATE crm.leads l SET company_name = c.name, email_text = e.text, notes_tsv = n.tsv
  FROM crm.leads base
  LEFT JOIN crm.companies c ON c.id = base.company_id
  LEFT JOIN (SELECT lead_id, string_agg(address, E'\n' ORDER BY id) AS text FROM crm.email_addresses GROUP BY lead_id) e
    ON e.lead_id = base.id
  LEFT JOIN (SELECT lead_id, to_tsvector('english', string_agg(body, E'\n' ORDER BY id)) AS tsv FROM crm.notes GROUP BY lead_id) n
    ON n.lead_id = base.id
  WHERE l.id = base.id;
  SELECT crm.rebuild_lead_search_values();
$$;

SELECT crm.rebuild_lead_search_values();

CREATE INDEX lead_name_values_trgm_idx ON crm.lead_name_values USING gin (value gin_trgm_ops);
CREATE INDEX lead_company_values_trgm_idx ON crm.lead_company_values USING gin (value gin_trgm_ops);
-- Every column a ranked search filters, sorts or checks the caller's teams on, so that the leads holding one name
-- are read from the index alone (vertical and stage, the usual filters, narrow the range).
CREATE INDEX leads_full_name_search_idx ON crm.leads (full_name, vertical_id, stage_id)
  INCLUDE (created_at, id, team_id, owner_id, source_id, plan_id);
CREATE INDEX leads_company_name_search_idx ON crm.leads (company_name, vertical_id, stage_id)
  INCLUDE (created_at, id, team_id, owner_id, source_id, plan_id);

-- The ILIKE pattern of the ranked search's statements (as crm.contains_pattern), PARALLEL UNSAFE on purpose, so
-- that those statements are never planned in parallel: they read a few index pages per match, and PostgreSQL, taking
-- a common term for rarer than it is, planned a parallel scan of the distinct values and started two workers for
-- it (25 ms of a 50 ms search); a term with whitespace, which no email address holds, folds the email matches to
-- none, but they were still planned as a parallel full scan behind a false filter (8 ms of a 10 ms search).
CREATE FUNCTION crm.ranked_search_pattern(term text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL UNSAFE
RETURN '%' || replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') || '%';
COMMENT ON FUNCTION crm.ranked_search_pattern(text) IS 'crm.contains_pattern(term), parallel unsafe on purpose: search_leads'' ranked statements are never planned in parallel.';
GRANT EXECUTE ON FUNCTION crm.ranked_search_pattern(text) TO leads_reader;

GRANT SELECT ON crm.lead_name_values, crm.lead_company_values TO leads_reader;
