import { z } from 'zod';

/** The assertion kinds of `migrations/002_suites.sql`, for filters. */
export const ASSERTION_KINDS = [
  'date',
  'time',
  'party_size',
  'insurance',
  'address',
  'caller_name',
  'callback_number',
  'service',
  'handoff',
  'latency_budget',
] as const;

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lower-case slug such as clinic-front-desk')
  .max(80);

/** Arguments of `list_failures_last_7d`. */
export const failuresInput = {
  agent: slug.optional().describe('only this agent (slug, e.g. clinic-front-desk)'),
  suite: slug.optional().describe('only this suite (slug, e.g. appointment-booking)'),
  kind: z.enum(ASSERTION_KINDS).optional().describe('only this assertion kind'),
  regressions_only: z.boolean().default(false).describe('only groups flagged as regressions'),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .describe('next_cursor of the previous page; keep the other arguments the same'),
};

const iso = z.string().describe('ISO 8601 timestamp, UTC');

const group = z.object({
  agent: z.string(),
  suite: z.string(),
  assertion: z.string().describe('assertion kind'),
  category: z.enum(['entity', 'behavior', 'latency']),
  regression: z.boolean().describe('new or much worse in the window, not a chronic failure'),
  failures: z.number().int().describe('failed assertions in the window'),
  checks: z.number().int().describe('assertions of this kind checked in the window'),
  failure_rate: z.number(),
  baseline_failure_rate: z.number().nullable().describe('the 21 days before the window'),
  failing_runs: z.number().int(),
  runs: z.number().int(),
  first_seen: iso.describe(
    'first failure of this episode: since the release that introduced it, else in the last 28 days',
  ),
  last_seen: iso,
  introduced_in: z
    .object({ version: z.string(), released_at: iso, changelog: z.string() })
    .nullable()
    .describe('the release whose runs first showed the jump, for regressions'),
  still_failing: z.boolean().describe('the newest run of the suite failed this assertion too'),
  latest_run_id: z.number().int(),
  example: z.object({
    run_id: z.number().int(),
    case: z.string(),
    expected: z.string(),
    actual: z.string().nullable(),
    reasoning: z.string(),
  }),
});

/** What `list_failures_last_7d` returns as structuredContent. */
export const failuresReport = z.object({
  window: z.object({ from: iso, to: iso }),
  groups: z.array(group),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

export type FailuresReport = z.infer<typeof failuresReport>;
export type FailureGroup = z.infer<typeof group>;
