/**
 * Free-text search over lead names, company names and email addresses (substring, trigram-indexed) and note text
 * (full-text), with filters. Without `:query` it lists leads by the filters alone. Each lead carries its own search
 * copies (company_name, email_text, notes_tsv: migration 018), so a scan of crm.searchable_leads (the caller's
 * teams) combines the text indexes with the filter indexes. Each filter is a constant when the statement is planned
 * for its values (the gateway's custom plans), so an unused one costs nothing and a used one becomes an index
 * condition: slugs become ids through functions the planner folds into constants (migration 020), so that each
 * filter is costed for its real share of the leads. The sort keys come from the lead's own row, and the display
 * columns are scalar subqueries, so the planner sorts narrow rows and looks the display columns up for the page's
 * rows only.
 *
 * Relevance: a name match scores 3 + its trigram similarity, a company match 2 + similarity, an email match 1.5, a
 * note match 1; a lead matching several fields takes its best score and lists them all in matched_on. The scores
 * of the kinds never overlap, so "best first" reads the leads matched on a name or company first (the matching
 * distinct values ranked, their leads read best value first until the page is full: RANKED_MATCHES_SQL), then those
 * matched on an email only (all at 1.5, newest first), then the leads matched in their notes only, newest first. A
 * common note phrase matches one lead in seven at a million leads; ranking every one of them before the first page
 * could be cut read 30,000 rows for 21, where newest first reads them from an index on created_at and stops at the
 * page (tools/search-leads.ts runs the parts in turn, with one cursor across them). Within the email part relevance
 * is 1.5 throughout and within the note part 1, so the order of the parts together is SEARCH_ORDERS.relevance.
 */
const PATTERN = 'crm.contains_pattern(:query::text)';
const NAME_MATCH = `l.full_name ILIKE ${PATTERN}`;
const COMPANY_MATCH = `l.company_name ILIKE ${PATTERN}`;
// Email addresses hold no whitespace, so a query with some (a phrase from notes) skips their trigram index: the
// condition folds to false when the statement is planned for the query.
const EMAIL_MATCH = `(:query::text !~ '\\s' AND l.email_text ILIKE ${PATTERN})`;
const NOTE_MATCH = `l.notes_tsv @@ websearch_to_tsquery('english', :query::text)`;
/** A lead the ranked parts find. A NULL company or email is no match, hence IS NOT TRUE where it is negated. */
const RANKED_MATCH = `(${NAME_MATCH} OR ${COMPANY_MATCH} OR ${EMAIL_MATCH})`;

const SCORE = `round(greatest(
    CASE WHEN ${NAME_MATCH} THEN 3 + similarity(l.full_name, :query::text) END,
    CASE WHEN ${COMPANY_MATCH} THEN 2 + similarity(l.company_name, :query::text) END,
    CASE WHEN ${EMAIL_MATCH} THEN 1.5 END,
    CASE WHEN ${NOTE_MATCH} THEN 1 END
  )::numeric, 4)::float8`;
const MATCHED_ON = `array_remove(ARRAY[
    CASE WHEN ${COMPANY_MATCH} THEN 'company' END,
    CASE WHEN ${EMAIL_MATCH} THEN 'email' END,
    CASE WHEN ${NAME_MATCH} THEN 'name' END,
    CASE WHEN ${NOTE_MATCH} THEN 'note' END
  ], NULL)`;

/** The row every search returns, with the relevance and matched fields given as SQL expressions. */
const columns = (relevance: string, matchedOn: string) => `
  l.id AS id,
  l.full_name AS name,
  l.company_name AS company,
  (SELECT v.slug FROM crm.verticals v WHERE v.id = l.vertical_id) AS vertical,
  (SELECT s.name FROM crm.pipeline_stages s WHERE s.id = l.stage_id) AS stage,
  (SELECT s.stage_kind FROM crm.pipeline_stages s WHERE s.id = l.stage_id) AS stage_kind,
  (SELECT o.full_name FROM crm.owners o WHERE o.id = l.owner_id) AS owner,
  (SELECT src.slug FROM crm.lead_sources src WHERE src.id = l.source_id) AS source,
  (SELECT p.slug FROM billing.plans p WHERE p.id = l.plan_id) AS plan,
  l.estimated_mrr_cents AS estimated_mrr_cents,
  l.created_at AS created_at,
  coalesce(l.last_activity_at, l.created_at) AS last_activity_at,
  (SELECT CASE WHEN :pii::boolean THEN pn.e164 ELSE crm.mask_phone(pn.e164) END
   FROM crm.lead_phone_numbers lp JOIN crm.phone_numbers pn ON pn.id = lp.phone_number_id
   WHERE lp.lead_id = l.id ORDER BY lp.is_primary DESC, pn.id LIMIT 1) AS phone,
  (SELECT CASE WHEN :pii::boolean THEN e.address ELSE crm.mask_email(e.address) END
   FROM crm.email_addresses e WHERE e.lead_id = l.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email,
  ${relevance} AS relevance,
  ${matchedOn} AS matched_on`;

// A vertical and a stage kind together are the one stage of that vertical's pipeline (migrations 024 and 025): one
// condition, which PostgreSQL costs right, instead of three it would take for independent.
const FILTERS = `
  AND (:vertical::text IS NULL OR :stage::text IS NOT NULL OR l.vertical_id = crm.vertical_id_of(:vertical::text))
  AND (:stage::text IS NULL OR :vertical::text IS NOT NULL OR l.stage_id = ANY (crm.stage_ids_of_kind(:stage::text)))
  AND (:stage::text IS NULL OR :vertical::text IS NULL OR l.stage_id = crm.stage_id_of(:vertical::text, :stage::text))
  AND (:owner_id::integer IS NULL OR l.owner_id = :owner_id::integer)
  AND (:source::text IS NULL OR l.source_id = crm.source_id_of(:source::text))
  AND (:plan::text IS NULL OR l.plan_id = billing.plan_id_of(:plan::text))
  AND (:created_from::date IS NULL OR l.created_at >= :created_from::date::timestamptz)
  AND (:created_to::date IS NULL OR l.created_at < (:created_to::date + 1)::timestamptz)`;

/** The filters of search_leads. */
export const SEARCH_FILTERS = [
  'vertical',
  'stage',
  'owner_id',
  'source',
  'plan',
  'created_from',
  'created_to',
] as const;
export type SearchFilter = (typeof SEARCH_FILTERS)[number];

/**
 * How the relevance parts read their filters, the query's full-text form and the note part's position. Planned for
 * each call's values (custom plans, BY_VALUES), every filter is in the text and folds to a constant or to nothing.
 * Planned once per connection (generic plans, byGivenFilters), only the filters given are in the text, each a plain
 * condition an index can take; the slug lookups and the tsquery become sub-selects, which PostgreSQL runs once per
 * call before the scans, instead of folding them while planning (which it no longer does) or once per row.
 */
export interface SearchDialect {
  /** The filter conditions, each after AND. */
  readonly filters: string;
  /** The query as a tsquery. */
  readonly noteQuery: string;
  /** The note part's position: the rows after the last one read, or every row at its start. */
  readonly notesAfter: string;
  /** The stages a vertical or a stage selects (NULL for every stage), for the indexes keyed by stage. */
  readonly selectedStages: string;
  /** The created range's bounds (dates) and the note part's position (a timestamptz), each NULL when not given. */
  readonly createdFrom: string;
  readonly createdTo: string;
  readonly afterCreatedAt: string;
}

const NOTES_AFTER_CURSOR = '(l.created_at, l.id) < (:after_created_at::timestamptz, :after_id::bigint)';
const BY_VALUES: SearchDialect = {
  filters: FILTERS,
  noteQuery: `websearch_to_tsquery('english', :query::text)`,
  notesAfter: `(:after_created_at::timestamptz IS NULL OR ${NOTES_AFTER_CURSOR})`,
  selectedStages: 'crm.note_stage_ids(:vertical::text, :stage::text)',
  createdFrom: ':created_from::date',
  createdTo: ':created_to::date',
  afterCreatedAt: ':after_created_at::timestamptz',
};

/** The dialect of statements planned once per connection, for the filters given and a note part's start or not. */
export function byGivenFilters(given: ReadonlySet<SearchFilter>, notesAfterCursor = false): SearchDialect {
  const conditions: string[] = [];
  const vertical = given.has('vertical');
  const stage = given.has('stage');
  if (vertical && stage) conditions.push('l.stage_id = (SELECT crm.stage_id_of(:vertical::text, :stage::text))');
  else if (vertical) conditions.push('l.vertical_id = (SELECT crm.vertical_id_of(:vertical::text))');
  else if (stage) conditions.push('l.stage_id = ANY ((SELECT crm.stage_ids_of_kind(:stage::text))::integer[])');
  if (given.has('owner_id')) conditions.push('l.owner_id = :owner_id::integer');
  if (given.has('source')) conditions.push('l.source_id = (SELECT crm.source_id_of(:source::text))');
  if (given.has('plan')) conditions.push('l.plan_id = (SELECT billing.plan_id_of(:plan::text))');
  if (given.has('created_from')) conditions.push('l.created_at >= :created_from::date::timestamptz');
  if (given.has('created_to')) conditions.push('l.created_at < (:created_to::date + 1)::timestamptz');
  const stages = [vertical ? ':vertical::text' : 'NULL', stage ? ':stage::text' : 'NULL'].join(', ');
  return {
    filters: conditions.map((condition) => `\n  AND ${condition}`).join(''),
    noteQuery: `(SELECT websearch_to_tsquery('english', :query::text))`,
    notesAfter: notesAfterCursor ? NOTES_AFTER_CURSOR : 'true',
    selectedStages: `(SELECT crm.note_stage_ids(${stages}))`,
    createdFrom: given.has('created_from') ? ':created_from::date' : 'NULL::date',
    createdTo: given.has('created_to') ? ':created_to::date' : 'NULL::date',
    afterCreatedAt: notesAfterCursor ? ':after_created_at::timestamptz' : 'NULL::timestamptz',
  };
}

/** Every match (or, without `:query`, every lead the filters keep), for the sort orders other than relevance. */
export const SEARCH_LEADS_SQL = `
SELECT ${columns(
  `CASE WHEN :query::text IS NULL THEN 0::float8 ELSE ${SCORE} END`,
  `CASE WHEN :query::text IS NULL THEN '{}'::text[] ELSE ${MATCHED_ON} END`,
)}
FROM crm.searchable_leads l
WHERE (:query::text IS NULL OR ${RANKED_MATCH} OR ${NOTE_MATCH})${FILTERS}`;

/** The pattern of the ranked statements: crm.contains_pattern, parallel unsafe so they are never planned in parallel. */
const RANKED_PATTERN = 'crm.ranked_search_pattern(:query::text)';
/** The fields the first part ranks: names score 3 + their similarity, company names 2 + theirs. */
export type RankedField = 'name' | 'company';
const VALUES_OF: Record<RankedField, string> = {
  name: `SELECT 'name'::text AS field, n.value, round((3 + similarity(n.value, :query::text))::numeric, 4)::float8 AS relevance
  FROM crm.lead_name_values n WHERE n.value ILIKE ${RANKED_PATTERN}`,
  company: `SELECT 'company'::text AS field, c.value, round((2 + similarity(c.value, :query::text))::numeric, 4)::float8 AS relevance
  FROM crm.lead_company_values c WHERE c.value ILIKE ${RANKED_PATTERN}`,
};
/**
 * The distinct names and company names (migration 023) that contain the query, each with the relevance of the leads
 * that hold it, best first: a name scores 3 + its trigram similarity to the query, a company name 2 + its
 * similarity, so every name ranks above every company name.
 */
const matchedValues = (fields: readonly RankedField[]) => `
  ${fields.map((field) => VALUES_OF[field]).join('\n  UNION ALL\n  ')}
  ORDER BY relevance DESC`;

const rankedColumns = (d: SearchDialect) =>
  columns(
    'v.relevance',
    `array_remove(ARRAY[
    CASE WHEN v.field = 'company' OR ${COMPANY_MATCH} THEN 'company' END,
    CASE WHEN ${EMAIL_MATCH} THEN 'email' END,
    CASE WHEN v.field = 'name' THEN 'name' END,
    CASE WHEN l.notes_tsv @@ ${d.noteQuery} THEN 'note' END
  ], NULL)`,
  );

/**
 * Relevance, first part: the leads matched on a name or a company name, ranked. The matching values come best
 * first, and the leads holding each from a btree over the value and the usual filters, so PostgreSQL sorts each
 * relevance's leads newest first as it goes (an incremental sort) and stops at the page: a common last name ("Mann":
 * 2,087 distinct names at a million leads) reads the leads of its best few dozen names, not of all of them. A lead
 * matched on both its name and its company is read once, through its name.
 */
export const rankedMatchesSql = (d: SearchDialect, fields: readonly RankedField[] = ['name', 'company']) => `
SELECT ${rankedColumns(d)}
FROM (${matchedValues(fields)}
) v
CROSS JOIN LATERAL (
  SELECT * FROM crm.searchable_leads l WHERE v.field = 'name' AND l.full_name = v.value
  UNION ALL
  SELECT * FROM crm.searchable_leads l WHERE v.field = 'company' AND l.company_name = v.value AND ${NAME_MATCH} IS NOT TRUE
) l
WHERE true${d.filters}`;

/**
 * The first part's first page: each value's leads read newest first, at most `:value_rows` of them (a page and
 * one), since none after those can be on the page. A company name is held by thousands of leads ("Parkview Smile
 * Dental": 2,804 in one stage at a million), which all rank the same: read in full and sorted, they took 14 to 30
 * ms; read newest first from an index over the name, stage and created_at (migration 029), a page of them. Later
 * pages start inside a value, after the cursor's row, and use rankedMatchesSql. search_leads reads the names
 * first (rankedMatchesSql: a full name is held by a few leads, which need no limit) and the company names only if
 * the page has room: "Mann" is in 2,087 names, which fill it, and in 1,057 company names that cost 6 ms more to rank.
 */
export const rankedFirstPageSql = (d: SearchDialect, fields: readonly RankedField[] = ['name', 'company']) => `
SELECT ${rankedColumns(d)}
FROM (${matchedValues(fields)}
) v
CROSS JOIN LATERAL (
  SELECT * FROM (
    SELECT * FROM crm.searchable_leads l WHERE v.field = 'name' AND l.full_name = v.value${d.filters}
    ORDER BY l.created_at DESC, l.id DESC LIMIT :value_rows::integer
  ) by_name
  UNION ALL
  SELECT * FROM (
    SELECT * FROM crm.searchable_leads l
    WHERE v.field = 'company' AND l.company_name = v.value AND ${NAME_MATCH} IS NOT TRUE${d.filters}
    ORDER BY l.created_at DESC, l.id DESC LIMIT :value_rows::integer
  ) by_company
) l`;

/**
 * How the email part finds addresses. Eight characters or more: by their eight-character runs in the stages a
 * vertical or a stage selects (migrations 028 and 031), one short posting list per run and stage, checked in full on
 * the addresses those return (`|| ''` keeps the trigram index, whose many common trigrams cost 16 to 25 ms, out of
 * it). The other filters are checked on those few rows, past a fence (OFFSET 0): planned once for any query,
 * PostgreSQL would otherwise intersect them with a stage's 220,000 leads.
 * Fewer characters: by their few trigrams, with the filters. `either` picks by the query's length, for plans made
 * for each call's values, which fold the other branch away.
 */
export type EmailLookup = 'runs' | 'trigrams' | 'either';
const emailByRuns = (d: SearchDialect) =>
  `crm.email_terms(l.email_text, l.stage_id) @@ crm.email_terms_query(:query::text, ${d.selectedStages})`;
const EMAIL_CHECKED = `(l.email_text || '') ILIKE ${RANKED_PATTERN}`;
const EMAIL_BY_TRIGRAMS = `l.email_text ILIKE ${RANKED_PATTERN}`;
const emailSources = (d: SearchDialect): Record<EmailLookup, string> => ({
  runs: `(SELECT * FROM crm.searchable_leads l WHERE ${emailByRuns(d)} OFFSET 0) l
WHERE ${EMAIL_CHECKED}`,
  trigrams: `crm.searchable_leads l
WHERE ${EMAIL_BY_TRIGRAMS}`,
  either: `crm.searchable_leads l
WHERE ((length(:query::text) >= 8 AND ${emailByRuns(d)} AND ${EMAIL_CHECKED})
    OR (length(:query::text) < 8 AND ${EMAIL_BY_TRIGRAMS}))`,
});

/**
 * Relevance, second part: the leads matched on an email address only (relevance 1.5, below every name or company
 * match), newest first. Run only when the first part cannot fill the page: a last name is in thousands of
 * addresses ("mann": 24,000 at a million leads), whose leads mostly matched on their name already.
 */
export const emailMatchesSql = (d: SearchDialect, lookup: EmailLookup) => `
SELECT ${columns('1.5::float8', `ARRAY['email'] || CASE WHEN l.notes_tsv @@ ${d.noteQuery} THEN ARRAY['note'] ELSE '{}'::text[] END`)}
FROM ${emailSources(d)[lookup]}
  AND :query::text !~ '\\s' AND (${NAME_MATCH} OR ${COMPANY_MATCH}) IS NOT TRUE${d.filters}`;

const noteOnly = (d: SearchDialect) => `l.notes_tsv @@ ${d.noteQuery} AND ${RANKED_MATCH} IS NOT TRUE`;
/** The newest leads the filters keep that the note part's walk reads at most (`:walk_limit`) by default. */
export const NOTE_WALK_LIMIT = 500;

/**
 * Relevance, third part, for phrases that are common among the leads the filters keep: the leads the filters keep,
 * newest first from the created_at index, checked one by one for the phrase (and for not being a ranked match),
 * stopping at the page. The walk reads at most `:walk_limit` leads (NOTE_WALK_LIMIT by default): where the phrase
 * is rare among them ("BAA" outside healthcare), it would otherwise read every lead the filters keep, because
 * PostgreSQL cannot know that the phrase and the filters go together; a walk that does not fill the page hands over
 * to noteMatchesByWeekSql (with a vertical or a stage) or noteMatchesIndexedSql. The walk pays off only for phrases
 * in more than one filtered lead in 25: week by week, a stage's week holds at most 2,000 leads at a million, so a
 * rarer phrase is a few dozen rows there.
 */
export const noteMatchesWalkSql = (d: SearchDialect) => `
SELECT ${columns('1::float8', `ARRAY['note']`)}
FROM (
  SELECT * FROM crm.searchable_leads l
  WHERE ${d.notesAfter}${d.filters}
  ORDER BY l.created_at DESC, l.id DESC
  LIMIT :walk_limit::integer
) l
WHERE ${noteOnly(d)}
ORDER BY l.created_at DESC, l.id DESC`;

/**
 * Relevance, third part, for phrases that are rare among the leads the filters keep: every match from the text
 * index, then sorted. It sorts on an expression no created_at index supplies, so the planner cannot walk created_at
 * here instead (it would, taking the phrase for as common in the filtered leads as in all of them).
 */
export const noteMatchesIndexedSql = (d: SearchDialect) => `
SELECT ${columns('1::float8', `ARRAY['note']`)}
FROM crm.searchable_leads l
WHERE ${noteOnly(d)} AND ${d.notesAfter}${d.filters}
ORDER BY l.created_at + interval '0 s' DESC, l.id DESC`;

/**
 * The windows of weeks the note part reads, newest first, each twice as long as the one before: the last week
 * (`k` 0), the one before, the two before those, then four, eight, … back to the first week of any lead (or the
 * created range's, or the cursor's week). Eight windows span two years.
 */
const weekWindows = (d: SearchDialect) => `
  SELECT k, greatest(b.first_week, b.last_week - (1 << k) + 1) AS first_week,
    b.last_week - CASE WHEN k = 0 THEN 0 ELSE 1 << (k - 1) END AS last_week
  FROM (
    SELECT
      least(crm.last_lead_week(), crm.week_of(${d.afterCreatedAt}),
        crm.week_of((${d.createdTo} + 1)::timestamptz - interval '1 microsecond')) AS last_week,
      greatest(crm.first_lead_week(), crm.week_of(${d.createdFrom}::timestamptz)) AS first_week
    OFFSET 0 -- computed once, not once for each window
  ) b, generate_series(0, 30) AS k
  WHERE b.last_week - CASE WHEN k = 0 THEN 0 ELSE 1 << (k - 1) END >= b.first_week
  ORDER BY k`;

/**
 * Relevance, third part, for phrases that are rare among the leads of the stages a vertical or a stage selects:
 * window by window of weeks, newest first (weekWindows), the leads of those stages holding the phrase's lexemes
 * then, from one posting list per lexeme, stage and week (migration 027); each window's leads are sorted newest
 * first as they come (an incremental sort), so the read stops at the window that fills the page. The index reads
 * phrases as AND and cannot see the other filters: those are checked on the rows it returns, outside a fence
 * (OFFSET 0), so that PostgreSQL does not intersect the few rows it returns with a filter index of hundreds of
 * thousands. ts_match_vq is `@@` as a function, which no index serves, for the same reason.
 */
export const noteMatchesByWeekSql = (d: SearchDialect) => `
SELECT ${columns('1::float8', `ARRAY['note']`)}
FROM (${weekWindows(d)}
) AS w
CROSS JOIN LATERAL (
  SELECT * FROM crm.searchable_leads l
  WHERE crm.note_terms(l.notes_tsv, l.stage_id, l.created_at)
    @@ crm.note_terms_query(:query::text, ${d.selectedStages}, w.first_week, w.last_week)
  OFFSET 0
) l
WHERE ts_match_vq(l.notes_tsv, ${d.noteQuery})
  AND ${RANKED_MATCH} IS NOT TRUE AND ${d.notesAfter}${d.filters}
ORDER BY w.k, l.created_at DESC, l.id DESC`;

/** The relevance parts planned for each call's values, as the benchmark's peers run them. */
export const RANKED_MATCHES_SQL = rankedMatchesSql(BY_VALUES);
export const RANKED_FIRST_PAGE_SQL = rankedFirstPageSql(BY_VALUES);
export const EMAIL_MATCHES_SQL = emailMatchesSql(BY_VALUES, 'either');
export const EMAIL_TRIGRAM_MATCHES_SQL = emailMatchesSql(BY_VALUES, 'trigrams');
export const NOTE_MATCHES_WALK_SQL = noteMatchesWalkSql(BY_VALUES);
export const NOTE_MATCHES_INDEXED_SQL = noteMatchesIndexedSql(BY_VALUES);
export const NOTE_MATCHES_BY_WEEK_SQL = noteMatchesByWeekSql(BY_VALUES);

/** The sort orders search_leads offers, as keysets over its result columns (each ends with the unique id). */
export const SEARCH_ORDERS = {
  relevance: 'relevance DESC, created_at DESC, id DESC',
  newest: 'created_at DESC, id DESC',
  oldest: 'created_at, id',
  recent_activity: 'last_activity_at DESC, id DESC',
  highest_value: 'estimated_mrr_cents DESC, id DESC',
  name: 'name, id',
} as const;
