-- search_leads found email addresses through the trigram index alone. A local part such as "valentine.conroy" has
-- fourteen trigrams, most of them in hundreds of thousands of addresses ("on.", "ine"), and intersecting their
-- posting lists took 16 to 25 ms at a million leads to find eleven addresses. Here every eight characters of a
-- lead's addresses are indexed as one key: a query of eight characters or more reads the posting lists of two or
-- three such keys ("valentin", "e.conroy"), a few hundred addresses at most, in under a millisecond, and the
-- statement checks the full substring on what they return. Shorter queries keep the trigram index.
CREATE FUNCTION crm.email_grams(email_text text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
  folded text := lower(email_text);
  grams text[] := '{}';
BEGIN
  -- A loop, not generate_series: the index is built from this on every lead, and the loop is twice as fast.
  FOR i IN 1 .. coalesce(length(folded), 0) - 7 LOOP
    grams := grams || substr(folded, i, 8);
  END LOOP;
  RETURN grams;
END
$$;
COMMENT ON FUNCTION crm.email_grams(text) IS 'Every run of eight characters in a lead''s email addresses (lower case): what leads_email_grams_idx indexes.';

-- Eight-character runs of the query that together cover it (from characters 1, 9, 17, … and the last eight): an
-- address holds the query only if it holds all of them. NULL for a query shorter than eight characters.
CREATE FUNCTION crm.email_query_grams(query text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
  SELECT array_agg(DISTINCT substr(q.folded, least(i, length(q.folded) - 7), 8))
  FROM (SELECT lower(query) AS folded) q, generate_series(1, length(q.folded), 8) AS i
  WHERE length(q.folded) >= 8);
COMMENT ON FUNCTION crm.email_query_grams(text) IS 'The eight-character runs of a search query that cover it, for leads_email_grams_idx (NULL under eight characters).';

GRANT EXECUTE ON FUNCTION crm.email_grams(text), crm.email_query_grams(text) TO leads_reader;

CREATE INDEX leads_email_grams_idx ON crm.leads USING gin (crm.email_grams(email_text));
