/** Rows for every table, ids included, in insertion order. */
export interface SeedRows {
  readonly anchor: Date;
  readonly agents: Record<string, unknown>[];
  readonly agent_versions: Record<string, unknown>[];
  readonly suites: Record<string, unknown>[];
  readonly test_cases: Record<string, unknown>[];
  readonly test_case_checks: Record<string, unknown>[];
  readonly eval_runs: Record<string, unknown>[];
  readonly case_results: Record<string, unknown>[];
  readonly assertions: Record<string, unknown>[];
}
