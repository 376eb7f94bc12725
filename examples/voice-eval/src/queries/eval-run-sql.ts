/**
 * The statements behind `get_eval_run`, one SELECT each with `:named` parameters. The SQL gateway checks each
 * against the live schema at startup and runs it read-only, under a server-side timeout; the sort orders the
 * results leave in are given as its `orderBy`.
 */

const RUN_COLUMNS = `
  r.id, r.status, r.trigger, r.git_sha, r.started_at, r.finished_at,
  r.total_cases, r.passed_cases, r.failed_cases, r.errored_cases, r.pass_rate,
  r.p50_latency_ms, r.p95_latency_ms, r.cost_usd::float8 AS cost_usd,
  (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY c.time_to_first_audio_ms)
     FROM case_results c WHERE c.run_id = r.id) AS ttfa_p50_ms,
  s.id AS suite_id, s.slug AS suite_slug, s.name AS suite_name,
  a.slug AS agent_slug, a.name AS agent_name, a.vertical,
  v.version, v.prompt_hash, v.llm_model, v.stt_provider, v.stt_model, v.tts_provider, v.tts_voice,
  v.released_at, v.changelog`;

const RUN_FROM = `
  FROM eval_runs r
  JOIN suites s ON s.id = r.suite_id
  JOIN agents a ON a.id = s.agent_id
  JOIN agent_versions v ON v.id = r.agent_version_id`;

export const RUN_BY_ID = `SELECT ${RUN_COLUMNS} ${RUN_FROM} WHERE r.id = :run_id`;

/** The run of the same suite just before (started_at, run_id). */
export const PREVIOUS_RUN = `SELECT ${RUN_COLUMNS} ${RUN_FROM}
  WHERE r.suite_id = :suite_id AND (r.started_at, r.id) < (:started_at::timestamptz, :run_id::int)
  ORDER BY r.started_at DESC, r.id DESC
  LIMIT 1`;

/** Failed assertions of the run by kind, with two examples each; :previous_id may be null. */
export const FAILING_ASSERTIONS = `
  SELECT a.kind, k.category,
    count(*) FILTER (WHERE NOT a.passed)::int AS failed,
    count(*)::int AS checked,
    (SELECT count(*)::int FROM assertions pa JOIN case_results pc ON pc.id = pa.case_result_id
      WHERE pc.run_id = :previous_id::int AND pa.kind = a.kind AND NOT pa.passed) AS failed_in_previous,
    (SELECT jsonb_agg(e) FROM (
       SELECT tc.slug AS "case", x.expected, x.actual, x.reasoning
       FROM assertions x
       JOIN case_results xc ON xc.id = x.case_result_id
       JOIN test_cases tc ON tc.id = xc.test_case_id
       WHERE xc.run_id = :run_id AND x.kind = a.kind AND NOT x.passed
       ORDER BY tc.slug
       LIMIT 2) e) AS examples
  FROM assertions a
  JOIN case_results c ON c.id = a.case_result_id
  JOIN assertion_kinds k ON k.kind = a.kind
  WHERE c.run_id = :run_id
  GROUP BY a.kind, k.category
  HAVING count(*) FILTER (WHERE NOT a.passed) > 0`;
export const FAILING_ASSERTIONS_ORDER = 'failed DESC, kind';

const CASE_COLUMNS = `
  c.id AS case_result_id, tc.slug AS "case", tc.title, c.status, c.score, c.error,
  c.time_to_first_audio_ms, c.p95_turn_latency_ms, c.interruptions, c.wer,
  CASE c.status WHEN 'errored' THEN 0 ELSE 1 END AS severity,
  coalesce((SELECT jsonb_agg(fa.kind ORDER BY fa.kind) FROM assertions fa
    WHERE fa.case_result_id = c.id AND NOT fa.passed), '[]'::jsonb) AS failed_assertions`;

/** The :worst cases that did not pass: errored first, then by lowest score. */
export const WORST_CASES = `
  SELECT ${CASE_COLUMNS}
  FROM case_results c JOIN test_cases tc ON tc.id = c.test_case_id
  WHERE c.run_id = :run_id AND c.status <> 'passed'
  ORDER BY severity, c.score NULLS FIRST, tc.slug
  LIMIT :worst`;
export const WORST_CASES_ORDER = 'severity, score, "case"';

/** Every case of the run with its assertions, and its transcript when :include_transcripts. */
export const ALL_CASES = `
  SELECT ${CASE_COLUMNS}, tc.persona, tc.scenario, c.duration_ms, c.avg_turn_latency_ms, c.turns,
    CASE WHEN :include_transcripts::boolean THEN c.transcript END AS transcript,
    coalesce((SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'passed', x.passed, 'expected', x.expected,
        'actual', x.actual, 'reasoning', x.reasoning) ORDER BY x.id)
      FROM assertions x WHERE x.case_result_id = c.id), '[]'::jsonb) AS assertions
  FROM case_results c JOIN test_cases tc ON tc.id = c.test_case_id
  WHERE c.run_id = :run_id`;
export const ALL_CASES_ORDER = '"case"';

/** The suite's last :length runs up to and including this one (returned oldest first, by `orderBy`). */
export const PASS_RATE_HISTORY = `
  SELECT r.id AS run_id, r.started_at, r.pass_rate, r.status, r.trigger, v.version AS agent_version
  FROM eval_runs r JOIN agent_versions v ON v.id = r.agent_version_id
  WHERE r.suite_id = :suite_id AND (r.started_at, r.id) <= (:started_at::timestamptz, :run_id::int)
  ORDER BY r.started_at DESC, r.id DESC
  LIMIT :length`;
export const PASS_RATE_HISTORY_ORDER = 'started_at, run_id';
