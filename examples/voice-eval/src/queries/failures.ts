import type { Queryable, Row } from 'switchboard-mcp/sql';
import type { FailureGroup } from '../schemas/failures.js';
import { iso } from './eval-run.js';
import { FAILURE_GROUPS, KNOWN_FILTERS } from './failures-sql.js';

/** Where a page ended: the sort key of its last group. */
export interface FailuresKeyset {
  readonly rank: number;
  readonly failures: number;
  readonly agent: string;
  readonly suite: string;
  readonly kind: string;
}

export interface FailuresQuery {
  /** End of the 7-day window. */
  readonly now: Date;
  readonly agent: string | undefined;
  readonly suite: string | undefined;
  readonly kind: string | undefined;
  readonly regressionsOnly: boolean;
  readonly limit: number;
  readonly after: FailuresKeyset | undefined;
}

export interface FailuresPage {
  readonly groups: FailureGroup[];
  /** Set when more groups follow: the keyset to continue after. */
  readonly next: FailuresKeyset | undefined;
}

/** One page of failure groups, regressions first, then by failure count. */
export async function loadFailures(db: Queryable, query: FailuresQuery): Promise<FailuresPage> {
  const after = query.after;
  const result = await db.query(FAILURE_GROUPS, [
    query.now,
    query.agent ?? null,
    query.suite ?? null,
    query.kind ?? null,
    query.regressionsOnly,
    query.limit + 1,
    after?.rank ?? null,
    after?.failures ?? null,
    after?.agent ?? null,
    after?.suite ?? null,
    after?.kind ?? null,
  ]);
  const rows = result.rows.slice(0, query.limit);
  const last = rows[rows.length - 1];
  const next =
    result.rows.length > query.limit && last !== undefined
      ? {
          rank: last.rank as number,
          failures: last.failures as number,
          agent: last.agent as string,
          suite: last.suite as string,
          kind: last.kind as string,
        }
      : undefined;
  return { groups: rows.map(toGroup), next };
}

function toGroup(row: Row): FailureGroup {
  return {
    agent: row.agent as string,
    suite: row.suite as string,
    assertion: row.kind as string,
    category: row.category as FailureGroup['category'],
    regression: row.regression as boolean,
    failures: row.failures as number,
    checks: row.checks as number,
    failure_rate: round(row.window_rate as number),
    baseline_failure_rate: row.baseline_rate === null ? null : round(row.baseline_rate as number),
    failing_runs: row.failing_runs as number,
    runs: row.runs as number,
    first_seen: iso(row.first_seen),
    last_seen: iso(row.last_seen),
    introduced_in:
      row.introduced_in_version === null
        ? null
        : {
            version: row.introduced_in_version as string,
            released_at: iso(row.introduced_in_released_at),
            changelog: row.introduced_in_changelog as string,
          },
    still_failing: row.failed_in_latest as boolean,
    latest_run_id: row.latest_run_id as number,
    example: {
      run_id: row.last_failing_run as number,
      case: row.example_case as string,
      expected: row.example_expected as string,
      actual: row.example_actual as string | null,
      reasoning: row.example_reasoning as string,
    },
  };
}

/** Agent and suite slugs that exist, for error messages. */
export async function knownFilters(db: Queryable): Promise<{ agent: string; suite: string }[]> {
  return (await db.query<{ agent: string; suite: string }>(KNOWN_FILTERS)).rows;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
