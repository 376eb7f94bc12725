-- search_leads' note part lists the note-only matches newest first. The text index (leads_notes_tsv_idx) knows
-- neither a lead's stage nor its age, so a phrase common among all leads but rare among those the filters keep
-- ("Spanish" in lost healthcare leads: 3,300 of 220,000, and 28,000 leads overall) read every lead holding it
-- (10,000 rows, 75 ms at a million leads) to sort a page of them, and one the filters' leads never hold ("BAA"
-- outside healthcare) read 90,000 to find none. Here each lexeme of a lead's notes is also indexed under its stage
-- and the month it was created in ("s18m24322/spanish"): the leads of one stage and month holding a lexeme are one
-- posting list, so a search reads its filters' stages month by month, newest first, and each month only the leads
-- that match (NOTE_MATCHES_BY_MONTH_SQL), stopping once the page is full. There are a few hundred such lists per
-- stage and month; one that no lead holds costs one index lookup.

CREATE FUNCTION crm.month_of(at timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (extract(year FROM at AT TIME ZONE 'UTC') * 12 + extract(month FROM at AT TIME ZONE 'UTC') - 1)::integer;
COMMENT ON FUNCTION crm.month_of(timestamptz) IS 'The UTC calendar month of a moment, counted from year 0 (year * 12 + month - 1).';

CREATE FUNCTION crm.note_terms(notes tsvector, stage_id integer, created_at timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(ARRAY(
  SELECT 's' || note_terms.stage_id || 'm' || crm.month_of(note_terms.created_at) || '/' || lexeme
  FROM unnest(tsvector_to_array(note_terms.notes)) AS lexeme));
COMMENT ON FUNCTION crm.note_terms(tsvector, integer, timestamptz) IS 'The lexemes of a lead''s notes, each prefixed with the lead''s stage and creation month ("s18m24322/spanish"), without positions: what leads_note_terms_idx indexes.';

-- The query's lexemes under the same prefixes, for any of the given stages in one month. Phrase operators become
-- AND (the index holds no positions): the statement checks the phrase itself on the rows the index returns.
CREATE FUNCTION crm.note_terms_query(query text, stage_ids integer[], month integer) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(
  regexp_replace(websearch_to_tsquery('english', query)::text, '<(-|[0-9]+)>', '&', 'g'),
  '''((?:[^'']|'''')*)''',
  '(' || array_to_string(ARRAY(SELECT '''s' || id || 'm' || month || '/\1''' FROM unnest(stage_ids) AS id), ' | ') || ')',
  'g')::tsquery;
COMMENT ON FUNCTION crm.note_terms_query(text, integer[], integer) IS 'A websearch query''s lexemes, prefixed for leads_note_terms_idx: in any of these stages, in this month (phrases read as AND).';

-- Folded into a constant when a statement is planned, as the functions of migration 020.
CREATE FUNCTION crm.note_stage_ids(vertical text, kind text) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN vertical IS NOT NULL AND kind IS NOT NULL THEN ARRAY[crm.stage_id_of(vertical, kind)]
  WHEN kind IS NOT NULL THEN crm.stage_ids_of_kind(kind)
  WHEN vertical IS NOT NULL THEN ARRAY(
    SELECT s.id FROM crm.pipeline_stages s JOIN crm.pipelines p ON p.id = s.pipeline_id
    WHERE p.vertical_id = crm.vertical_id_of(vertical) ORDER BY s.id)
END;
COMMENT ON FUNCTION crm.note_stage_ids(text, text) IS 'Ids of the stages a vertical and/or a stage kind select; NULL when neither is given (folded into a constant when a statement is planned).';

-- The months that hold leads, bounds of the month-by-month read. SECURITY DEFINER: as the caller, row-level
-- security made each a filtered index scan; the first and last creation month of all leads discloses nothing.
CREATE FUNCTION crm.first_lead_month() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT crm.month_of(min(created_at)) FROM crm.leads);
COMMENT ON FUNCTION crm.first_lead_month() IS 'The month (crm.month_of) the oldest lead was created in.';
CREATE FUNCTION crm.last_lead_month() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT crm.month_of(max(created_at)) FROM crm.leads);
COMMENT ON FUNCTION crm.last_lead_month() IS 'The month (crm.month_of) the newest lead was created in.';

GRANT EXECUTE ON FUNCTION crm.month_of(timestamptz), crm.note_terms(tsvector, integer, timestamptz),
  crm.note_terms_query(text, integer[], integer), crm.note_stage_ids(text, text), crm.first_lead_month(),
  crm.last_lead_month() TO leads_reader;

CREATE INDEX leads_note_terms_idx ON crm.leads USING gin (crm.note_terms(notes_tsv, stage_id, created_at));
