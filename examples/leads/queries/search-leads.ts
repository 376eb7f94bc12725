/**
 * Free-text search over lead names, company names and email addresses (substring, trigram-indexed) and note text
 * (full-text), with filters. Without `:query` it lists leads by the filters alone. Each filter is a constant when
 * the statement is planned for its values (the gateway's custom plans), so an unused one costs nothing and a used
 * one becomes an index condition: slugs are turned into ids by one-row subqueries first. The display columns are
 * scalar subqueries rather than joins, so the planner can take the page from an index on the sort key and look
 * them up for those rows only.
 */
export const SEARCH_LEADS_SQL = `
WITH matches AS (
  SELECT n.lead_id, 'name' AS field, 3 + n.score AS score
  FROM crm.leads_with_name_like(:query::text) n
  WHERE :query::text IS NOT NULL
  UNION ALL
  SELECT l.id, 'company', 2 + similarity(c.name, :query::text)
  FROM crm.companies c JOIN crm.leads l ON l.company_id = c.id
  WHERE :query::text IS NOT NULL AND c.name ILIKE crm.contains_pattern(:query::text)
  UNION ALL
  SELECT e.lead_id, 'email', 1.5
  FROM crm.email_addresses e
  WHERE :query::text IS NOT NULL AND e.address ILIKE crm.contains_pattern(:query::text)
  UNION ALL
  SELECT n.lead_id, 'note', 1 + ts_rank(n.body_tsv, websearch_to_tsquery('english', :query::text))
  FROM crm.notes n
  WHERE :query::text IS NOT NULL AND n.body_tsv @@ websearch_to_tsquery('english', :query::text)
), hits AS (
  SELECT lead_id, round(max(score)::numeric, 4)::float8 AS relevance, array_agg(DISTINCT field ORDER BY field) AS matched_on
  FROM matches GROUP BY lead_id
)
SELECT
  l.id,
  l.full_name AS name,
  (SELECT c.name FROM crm.companies c WHERE c.id = l.company_id) AS company,
  (SELECT v.slug FROM crm.verticals v WHERE v.id = l.vertical_id) AS vertical,
  (SELECT s.name FROM crm.pipeline_stages s WHERE s.id = l.stage_id) AS stage,
  (SELECT s.stage_kind FROM crm.pipeline_stages s WHERE s.id = l.stage_id) AS stage_kind,
  (SELECT o.full_name FROM crm.owners o WHERE o.id = l.owner_id) AS owner,
  (SELECT src.slug FROM crm.lead_sources src WHERE src.id = l.source_id) AS source,
  (SELECT p.slug FROM billing.plans p WHERE p.id = l.plan_id) AS plan,
  l.estimated_mrr_cents,
  l.created_at,
  coalesce(l.last_activity_at, l.created_at) AS last_activity_at,
  (SELECT CASE WHEN :pii::boolean THEN pn.e164 ELSE crm.mask_phone(pn.e164) END
   FROM crm.lead_phone_numbers lp JOIN crm.phone_numbers pn ON pn.id = lp.phone_number_id
   WHERE lp.lead_id = l.id ORDER BY lp.is_primary DESC, pn.id LIMIT 1) AS phone,
  (SELECT CASE WHEN :pii::boolean THEN e.address ELSE crm.mask_email(e.address) END
   FROM crm.email_addresses e WHERE e.lead_id = l.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email,
  coalesce(h.relevance, 0::float8) AS relevance,
  coalesce(h.matched_on, '{}'::text[]) AS matched_on
FROM crm.leads l
LEFT JOIN hits h ON h.lead_id = l.id
WHERE (:query::text IS NULL OR h.lead_id IS NOT NULL)
  AND (:vertical::text IS NULL OR l.vertical_id = (SELECT id FROM crm.verticals WHERE slug = :vertical::text))
  AND (:stage::text IS NULL OR l.stage_id = ANY (ARRAY(SELECT id FROM crm.pipeline_stages WHERE stage_kind = :stage::text)))
  AND (:owner_id::integer IS NULL OR l.owner_id = :owner_id::integer)
  AND (:source::text IS NULL OR l.source_id = (SELECT id FROM crm.lead_sources WHERE slug = :source::text))
  AND (:plan::text IS NULL OR l.plan_id = (SELECT id FROM billing.plans WHERE slug = :plan::text))
  AND (:created_from::date IS NULL OR l.created_at >= :created_from::date::timestamptz)
  AND (:created_to::date IS NULL OR l.created_at < (:created_to::date + 1)::timestamptz)`;

/** The sort orders search_leads offers, as keysets over its result columns (each ends with the unique id). */
export const SEARCH_ORDERS = {
  relevance: 'relevance DESC, created_at DESC, id DESC',
  newest: 'created_at DESC, id DESC',
  oldest: 'created_at, id',
  recent_activity: 'last_activity_at DESC, id DESC',
  highest_value: 'estimated_mrr_cents DESC, id DESC',
  name: 'name, id',
} as const;
