-- search_leads read note phrases among a stage's leads month by month (migration 026). A phrase in a fifth of a
-- stage's leads that the walk of the newest 500 missed (the newest leads of a stage are not its typical ones) read
-- every match of the latest month, 1,900 rows for 21 (18 ms at a million leads). Here each lexeme of a lead's notes
-- is indexed under its stage and creation week instead ("s18w2917/spanish"), and a search reads the weeks in
-- windows, newest first, each twice as long as the one before (NOTE_MATCHES_BY_WEEK_SQL), stopping once the page is
-- full: such a phrase reads one or two weeks of matches, and one that no lead of the stage holds costs one index
-- lookup per week, in eight index scans for two years. Migration 026's index and functions go.
DROP INDEX crm.leads_note_terms_idx;
DROP FUNCTION crm.note_terms(tsvector, integer, timestamptz);
DROP FUNCTION crm.note_terms_query(text, integer[], integer);
DROP FUNCTION crm.first_lead_month();
DROP FUNCTION crm.last_lead_month();
DROP FUNCTION crm.month_of(timestamptz);

CREATE FUNCTION crm.week_of(at timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN floor(extract(epoch FROM at AT TIME ZONE 'UTC') / 604800)::integer;
COMMENT ON FUNCTION crm.week_of(timestamptz) IS 'The week of a moment: whole weeks (of 604,800 s) since 1970-01-01 00:00 UTC.';

CREATE FUNCTION crm.note_terms(notes tsvector, stage_id integer, created_at timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(ARRAY(
  SELECT 's' || note_terms.stage_id || 'w' || crm.week_of(note_terms.created_at) || '/' || lexeme
  FROM unnest(tsvector_to_array(note_terms.notes)) AS lexeme));
COMMENT ON FUNCTION crm.note_terms(tsvector, integer, timestamptz) IS 'The lexemes of a lead''s notes, each prefixed with the lead''s stage and creation week ("s18w2917/spanish"), without positions: what leads_note_terms_idx indexes.';

-- The query's lexemes under the same prefixes, for any of the given stages in any week from first_week to
-- last_week. Phrase operators become AND (the index holds no positions): the statement checks the phrase itself on
-- the rows the index returns.
CREATE FUNCTION crm.note_terms_query(query text, stage_ids integer[], first_week integer, last_week integer)
RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(
  regexp_replace(websearch_to_tsquery('english', query)::text, '<(-|[0-9]+)>', '&', 'g'),
  '''((?:[^'']|'''')*)''',
  '(' || array_to_string(ARRAY(
    SELECT '''s' || id || 'w' || week || '/\1'''
    FROM unnest(stage_ids) AS id, generate_series(first_week, last_week) AS week), ' | ') || ')',
  'g')::tsquery;
COMMENT ON FUNCTION crm.note_terms_query(text, integer[], integer, integer) IS 'A websearch query''s lexemes, prefixed for leads_note_terms_idx: in any of these stages, in any of these weeks (phrases read as AND).';

-- The weeks that hold leads, bounds of the read. SECURITY DEFINER: as the caller, row-level security made each a
-- filtered index scan; the first and last creation week of all leads discloses nothing.
CREATE FUNCTION crm.first_lead_week() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT crm.week_of(min(created_at)) FROM crm.leads);
COMMENT ON FUNCTION crm.first_lead_week() IS 'The week (crm.week_of) the oldest lead was created in.';
CREATE FUNCTION crm.last_lead_week() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT crm.week_of(max(created_at)) FROM crm.leads);
COMMENT ON FUNCTION crm.last_lead_week() IS 'The week (crm.week_of) the newest lead was created in.';

GRANT EXECUTE ON FUNCTION crm.week_of(timestamptz), crm.note_terms(tsvector, integer, timestamptz),
  crm.note_terms_query(text, integer[], integer, integer), crm.first_lead_week(),
  crm.last_lead_week() TO leads_reader;

CREATE INDEX leads_note_terms_idx ON crm.leads USING gin (crm.note_terms(notes_tsv, stage_id, created_at));
