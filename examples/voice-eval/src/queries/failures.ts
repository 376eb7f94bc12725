import type { CursorOptions, Database, QueryContext, Row } from 'switchboard-mcp/sql';
import { prepareQuery } from 'switchboard-mcp/sql';
import { z } from 'zod';
import type { FailureGroup } from '../schemas/failures.js';
import { iso } from './eval-run.js';
import { FAILURE_GROUPS, FAILURE_GROUPS_ORDER, KNOWN_FILTERS } from './failures-sql.js';

export interface FailuresQuery {
  /** End of the 7-day window (ISO 8601); later pages pass the first page's, so the window does not slide. */
  readonly windowEnd: string;
  readonly agent: string | undefined;
  readonly suite: string | undefined;
  readonly kind: string | undefined;
  readonly regressionsOnly: boolean;
  /** The gateway's cursor of the previous page. */
  readonly cursor: string | undefined;
}

export interface FailuresPage {
  readonly groups: FailureGroup[];
  /** Set when more groups follow. */
  readonly nextCursor: string | undefined;
}

export interface FailureQueryOptions {
  readonly pageSize: number;
  readonly timeoutMs: number;
  readonly cursor: CursorOptions;
}

/** The statements of `list_failures_last_7d`, checked against the live schema (run this after the migrations). */
export async function prepareFailureQueries(db: Database, options: FailureQueryOptions) {
  const text = z.string().nullable();
  const [groups, known] = await Promise.all([
    prepareQuery(db, {
      name: 'list_failures_last_7d',
      sql: FAILURE_GROUPS,
      input: { window_end: z.string(), agent: text, suite: text, kind: text, regressions_only: z.boolean() },
      orderBy: FAILURE_GROUPS_ORDER,
      paginate: options.cursor,
      maxRows: options.pageSize,
      timeoutMs: options.timeoutMs,
    }),
    prepareQuery(db, {
      name: 'list_failures_last_7d',
      sql: KNOWN_FILTERS,
      timeoutMs: options.timeoutMs,
      maxRows: 1000,
    }),
  ]);
  return { groups, known };
}

/** The prepared statements `loadFailures` and `knownFilters` run. */
export type FailureQueries = Awaited<ReturnType<typeof prepareFailureQueries>>;

/** One page of failure groups, regressions first, then by failure count. */
export async function loadFailures(
  queries: FailureQueries,
  query: FailuresQuery,
  ctx: QueryContext,
): Promise<FailuresPage> {
  const args = {
    window_end: query.windowEnd,
    agent: query.agent ?? null,
    suite: query.suite ?? null,
    kind: query.kind ?? null,
    regressions_only: query.regressionsOnly,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  };
  const page = await queries.groups.run(args as never, ctx);
  return { groups: page.rows.map(toGroup), nextCursor: page.nextCursor };
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
export async function knownFilters(
  queries: FailureQueries,
  ctx: QueryContext,
): Promise<{ agent: string; suite: string }[]> {
  return (await queries.known.run({} as never, ctx)).rows as { agent: string; suite: string }[];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
