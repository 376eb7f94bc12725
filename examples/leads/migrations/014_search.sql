-- Free-text search: trigram indexes for substring matches on names, companies and emails (ILIKE '%term%' is
-- index-driven from three characters on), full-text for notes.
CREATE INDEX leads_full_name_trgm_idx ON crm.leads USING gin (full_name gin_trgm_ops);
CREATE INDEX companies_name_trgm_idx ON crm.companies USING gin (name gin_trgm_ops);
CREATE INDEX email_addresses_address_trgm_idx ON crm.email_addresses USING gin (address gin_trgm_ops);

CREATE FUNCTION crm.contains_pattern(term text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '%' || replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') || '%';
COMMENT ON FUNCTION crm.contains_pattern(text) IS 'An ILIKE pattern matching term anywhere, with %, _ and \ in term taken literally.';

CREATE FUNCTION crm.mask_phone(e164 text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
  WHEN e164 LIKE '+1%' THEN '+1 ***-***-' || right(e164, 2)
  ELSE left(e164, 3) || repeat('*', greatest(length(e164) - 5, 0)) || right(e164, 2)
END;
COMMENT ON FUNCTION crm.mask_phone(text) IS 'A phone number with all but the country code and the last two digits hidden, for callers without the leads:pii scope.';

CREATE FUNCTION crm.mask_email(address text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN left(address, 1) || '***@' || split_part(address, '@', 2);
COMMENT ON FUNCTION crm.mask_email(text) IS 'An email address with the local part hidden but its first letter, for callers without the leads:pii scope.';
