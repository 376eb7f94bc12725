/**
 * The full picture of one lead as one row of JSON columns: company, stage, owner, plan, trial and subscription,
 * contacts, numbers, emails, stage history and the latest activities. `l` is the crm.leads row; `:pii` says
 * whether the caller may see full phone numbers and emails. Every lookup below is by primary or foreign-key index.
 */
export const LEAD_DETAIL_COLUMNS = `
  l.id,
  l.full_name AS name,
  l.job_title,
  (SELECT v.slug FROM crm.verticals v WHERE v.id = l.vertical_id) AS vertical,
  (SELECT json_build_object('id', c.id, 'name', c.name, 'domain', c.domain, 'locations', c.locations_count,
      'employees', c.employee_count, 'timezone', c.timezone)
   FROM crm.companies c WHERE c.id = l.company_id) AS company,
  (SELECT json_build_object('name', s.name, 'kind', s.stage_kind, 'pipeline', pl.name, 'entered_at', l.stage_entered_at,
      'days_in_stage', round((extract(epoch FROM now() - l.stage_entered_at) / 86400)::numeric, 1)::float8,
      'win_probability', s.win_probability::float8)
   FROM crm.pipeline_stages s, crm.pipelines pl WHERE s.id = l.stage_id AND pl.id = l.pipeline_id) AS stage,
  (SELECT json_build_object('id', o.id, 'name', o.full_name, 'role', o.role) FROM crm.owners o WHERE o.id = l.owner_id) AS owner,
  (SELECT t.slug FROM crm.teams t WHERE t.id = l.team_id) AS team,
  (SELECT src.slug FROM crm.lead_sources src WHERE src.id = l.source_id) AS source,
  (SELECT json_build_object('slug', p.slug, 'name', p.name, 'monthly_price_cents', p.monthly_price_cents)
   FROM billing.plans p WHERE p.id = l.plan_id) AS plan,
  l.estimated_mrr_cents,
  l.score,
  (SELECT lr.label FROM crm.lost_reasons lr WHERE lr.id = l.lost_reason_id) AS lost_reason,
  l.created_at,
  l.last_activity_at,
  (SELECT json_build_object('status', tr.status, 'plan', tp.slug, 'started_at', tr.started_at, 'ends_at', tr.ends_at,
      'calls_handled', tr.calls_handled, 'minutes_used', tr.minutes_used)
   FROM billing.trials tr JOIN billing.plans tp ON tp.id = tr.plan_id
   WHERE tr.lead_id = l.id ORDER BY tr.started_at DESC LIMIT 1) AS trial,
  (SELECT json_build_object('status', sub.status, 'plan', sp.slug, 'mrr_cents', sub.mrr_cents,
      'interval', sub.billing_interval, 'started_at', sub.started_at, 'account_status', a.status)
   FROM billing.accounts a JOIN billing.subscriptions sub ON sub.account_id = a.id JOIN billing.plans sp ON sp.id = sub.plan_id
   WHERE a.lead_id = l.id ORDER BY sub.started_at DESC LIMIT 1) AS subscription,
  (SELECT coalesce(json_agg(json_build_object('id', ct.id, 'name', ct.first_name || ' ' || ct.last_name,
      'title', ct.job_title, 'role', ct.role) ORDER BY ct.id), '[]')
   FROM crm.contacts ct WHERE ct.lead_id = l.id) AS contacts,
  (SELECT coalesce(json_agg(json_build_object(
      'number', CASE WHEN :pii::boolean THEN pn.e164 ELSE crm.mask_phone(pn.e164) END,
      'label', lp.label, 'line_type', pn.line_type, 'primary', lp.is_primary, 'contact_id', lp.contact_id,
      'do_not_call', EXISTS (SELECT 1 FROM crm.do_not_call_entries d WHERE d.phone_number_id = pn.id AND d.removed_on IS NULL),
      'shared_with_leads', (SELECT count(*) - 1 FROM crm.lead_phone_numbers other JOIN crm.leads ol ON ol.id = other.lead_id
                            WHERE other.phone_number_id = pn.id))
      ORDER BY lp.is_primary DESC, pn.id), '[]')
   FROM crm.lead_phone_numbers lp JOIN crm.phone_numbers pn ON pn.id = lp.phone_number_id
   WHERE lp.lead_id = l.id) AS phone_numbers,
  (SELECT coalesce(json_agg(json_build_object(
      'address', CASE WHEN :pii::boolean THEN e.address ELSE crm.mask_email(e.address) END,
      'primary', e.is_primary, 'verified', e.verified_at IS NOT NULL, 'bounced', e.bounced_at IS NOT NULL,
      'contact_id', e.contact_id) ORDER BY e.is_primary DESC, e.id), '[]')
   FROM crm.email_addresses e WHERE e.lead_id = l.id) AS emails,
  (SELECT coalesce(json_agg(json_build_object('channel', cr.channel, 'type', cr.consent_type,
      'granted_at', cr.granted_at, 'revoked_at', cr.revoked_at) ORDER BY cr.granted_at), '[]')
   FROM crm.consent_records cr WHERE cr.lead_id = l.id) AS consent,
  (SELECT coalesce(json_agg(json_build_object('stage', hs.name, 'kind', hs.stage_kind, 'entered_at', h.entered_at,
      'exited_at', h.exited_at,
      'days', round((extract(epoch FROM coalesce(h.exited_at, now()) - h.entered_at) / 86400)::numeric, 1)::float8)
      ORDER BY h.entered_at, h.id), '[]')
   FROM crm.lead_stage_history h JOIN crm.pipeline_stages hs ON hs.id = h.stage_id
   WHERE h.lead_id = l.id) AS stage_history,
  (SELECT coalesce(json_agg(json_build_object('kind', a.kind, 'at', a.occurred_at, 'subject', a.subject)
      ORDER BY a.occurred_at DESC, a.id DESC), '[]')
   FROM (SELECT * FROM crm.activities WHERE lead_id = l.id ORDER BY occurred_at DESC, id DESC LIMIT 10) a) AS latest_activities`;

/** Leads reached by an E.164 number (their own line, a contact's, or a shared main line), newest activity first. */
export const LEADS_BY_PHONE_SQL = `
SELECT ${LEAD_DETAIL_COLUMNS},
  (SELECT json_agg(DISTINCT lp.label) FROM crm.lead_phone_numbers lp WHERE lp.lead_id = l.id AND lp.phone_number_id = m.phone_number_id) AS matched_as
FROM (
  SELECT DISTINCT lp.lead_id, lp.phone_number_id
  FROM crm.phone_numbers pn JOIN crm.lead_phone_numbers lp ON lp.phone_number_id = pn.id
  WHERE pn.e164 = :e164::text
) m
JOIN crm.leads l ON l.id = m.lead_id
ORDER BY l.last_activity_at DESC NULLS LAST, l.id`;

/** One lead by id (the leads://lead/{id} resource and the triage prompt). */
export const LEAD_BY_ID_SQL = `
SELECT ${LEAD_DETAIL_COLUMNS}
FROM crm.leads l
WHERE l.id = :id::bigint`;
