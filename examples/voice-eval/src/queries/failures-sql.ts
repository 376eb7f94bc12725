/**
 * `list_failures_last_7d` in one statement. Parameters: :window_end (the caller's "now"), :agent, :suite and :kind
 * (each null for all), :regressions_only. The SQL gateway pages it by `FAILURE_GROUPS_ORDER` with a keyset.
 *
 * A group is one assertion kind in one suite (of one agent) with at least one failure in the 7-day window. It is
 * a regression when its failure rate in the window is at least 10 % and either a release raised it (the version
 * boundary in the last 28 days with the biggest jump, at least 15 points and 3x) or the window is at least 15
 * points worse than the 21 days before it.
 */
export const FAILURE_GROUPS = `
WITH bounds AS (
  SELECT :window_end::timestamptz AS window_end,
         :window_end::timestamptz - interval '7 days' AS window_start,
         :window_end::timestamptz - interval '28 days' AS lookback_start
),
checked AS (
  SELECT ag.slug AS agent, s.slug AS suite, s.id AS suite_id, x.kind, r.id AS run_id, r.started_at,
         r.agent_version_id, v.released_at, NOT x.passed AS failed, r.started_at >= b.window_start AS in_window
  FROM bounds b
  JOIN eval_runs r ON r.started_at >= b.lookback_start AND r.started_at < b.window_end
  JOIN suites s ON s.id = r.suite_id
  JOIN agents ag ON ag.id = s.agent_id
  JOIN agent_versions v ON v.id = r.agent_version_id
  JOIN case_results c ON c.run_id = r.id
  JOIN assertions x ON x.case_result_id = c.id
  WHERE (:agent::text IS NULL OR ag.slug = :agent::text) AND (:suite::text IS NULL OR s.slug = :suite::text)
    AND (:kind::text IS NULL OR x.kind = :kind::text)
),
by_version AS (
  SELECT suite_id, kind, agent_version_id, released_at,
         count(*) FILTER (WHERE failed) AS failed, count(*) AS checked
  FROM checked
  GROUP BY suite_id, kind, agent_version_id, released_at
),
boundaries AS (
  SELECT suite_id, kind, agent_version_id, released_at,
    sum(failed) OVER (PARTITION BY suite_id, kind ORDER BY released_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)::float8
      / nullif(sum(checked) OVER (PARTITION BY suite_id, kind ORDER BY released_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS rate_before,
    sum(failed) OVER (PARTITION BY suite_id, kind ORDER BY released_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)::float8
      / sum(checked) OVER (PARTITION BY suite_id, kind ORDER BY released_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rate_after
  FROM by_version
),
onset AS (
  SELECT DISTINCT ON (suite_id, kind) suite_id, kind, agent_version_id, released_at, rate_before, rate_after
  FROM boundaries
  WHERE rate_before IS NOT NULL AND rate_after - rate_before >= 0.15 AND rate_after >= 3 * rate_before
  ORDER BY suite_id, kind, rate_after - rate_before DESC
),
groups AS (
  SELECT c.agent, c.suite, c.suite_id, c.kind,
    count(*) FILTER (WHERE c.in_window AND c.failed)::int AS failures,
    count(*) FILTER (WHERE c.in_window)::int AS checks,
    count(DISTINCT c.run_id) FILTER (WHERE c.in_window AND c.failed)::int AS failing_runs,
    count(DISTINCT c.run_id) FILTER (WHERE c.in_window)::int AS runs,
    count(*) FILTER (WHERE NOT c.in_window AND c.failed)::float8 / nullif(count(*) FILTER (WHERE NOT c.in_window), 0) AS baseline_rate,
    min(c.started_at) FILTER (WHERE c.failed) AS first_failure,
    min(c.started_at) FILTER (WHERE c.failed AND c.released_at >= o.released_at) AS first_failure_since_onset,
    max(c.started_at) FILTER (WHERE c.failed) AS last_seen,
    max(c.run_id) FILTER (WHERE c.failed) AS last_failing_run
  FROM checked c
  LEFT JOIN onset o ON o.suite_id = c.suite_id AND o.kind = c.kind
  GROUP BY c.agent, c.suite, c.suite_id, c.kind
  HAVING count(*) FILTER (WHERE c.in_window AND c.failed) > 0
),
judged AS (
  SELECT g.*, g.failures::float8 / g.checks AS window_rate, o.agent_version_id AS onset_version_id,
    g.failures::float8 / g.checks >= 0.10
      AND (o.suite_id IS NOT NULL OR g.failures::float8 / g.checks - coalesce(g.baseline_rate, 0) >= 0.15) AS regression
  FROM groups g
  LEFT JOIN onset o ON o.suite_id = g.suite_id AND o.kind = g.kind
),
ranked AS (
  SELECT j.*, CASE WHEN j.regression THEN 0 ELSE 1 END AS rank FROM judged j
  WHERE NOT :regressions_only::boolean OR j.regression
)
SELECT r.agent, r.suite, r.kind, k.category, r.rank, r.regression, r.failures, r.checks, r.failing_runs, r.runs,
  r.window_rate, r.baseline_rate,
  CASE WHEN r.regression AND r.onset_version_id IS NOT NULL THEN r.first_failure_since_onset ELSE r.first_failure END AS first_seen,
  r.last_seen, r.last_failing_run,
  CASE WHEN r.regression THEN v.version END AS introduced_in_version,
  CASE WHEN r.regression THEN v.released_at END AS introduced_in_released_at,
  CASE WHEN r.regression THEN v.changelog END AS introduced_in_changelog,
  ex.expected AS example_expected, ex.actual AS example_actual, ex.reasoning AS example_reasoning, ex.case AS example_case,
  latest.id AS latest_run_id, latest.failed_in_latest
FROM ranked r
JOIN assertion_kinds k ON k.kind = r.kind
LEFT JOIN agent_versions v ON v.id = r.onset_version_id
LEFT JOIN LATERAL (
  SELECT x.expected, x.actual, x.reasoning, tc.slug AS case
  FROM case_results c JOIN assertions x ON x.case_result_id = c.id JOIN test_cases tc ON tc.id = c.test_case_id
  WHERE c.run_id = r.last_failing_run AND x.kind = r.kind AND NOT x.passed
  ORDER BY tc.slug LIMIT 1
) ex ON true
LEFT JOIN LATERAL (
  SELECT lr.id, EXISTS (
    SELECT 1 FROM case_results c JOIN assertions x ON x.case_result_id = c.id
    WHERE c.run_id = lr.id AND x.kind = r.kind AND NOT x.passed) AS failed_in_latest
  FROM eval_runs lr WHERE lr.suite_id = r.suite_id AND lr.started_at < :window_end::timestamptz
  ORDER BY lr.started_at DESC, lr.id DESC LIMIT 1
) latest ON true
`;

/** Regressions first, then the most failures; agent, suite and kind make the order total (the keyset). */
export const FAILURE_GROUPS_ORDER = 'rank, failures DESC, agent, suite, kind';

/** Every agent and its suites, so a filter that matches nothing can say what would. */
export const KNOWN_FILTERS = `
  SELECT ag.slug AS agent, s.slug AS suite
  FROM agents ag JOIN suites s ON s.agent_id = ag.id
  ORDER BY ag.slug, s.slug`;
