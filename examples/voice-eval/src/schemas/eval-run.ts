import { z } from 'zod';

const iso = z.string().describe('ISO 8601 timestamp, UTC');
const rate = z.number().min(0).max(1);

const agentVersion = z.object({
  version: z.string(),
  prompt_hash: z.string(),
  llm_model: z.string(),
  stt: z.string().describe('speech-to-text provider/model'),
  tts: z.string().describe('text-to-speech provider/voice'),
  released_at: iso,
  changelog: z.string(),
});

const runSummary = z.object({
  id: z.number().int(),
  status: z.enum(['queued', 'running', 'passed', 'failed', 'errored', 'cancelled']),
  trigger: z.enum(['nightly', 'deploy', 'manual', 'ci']),
  git_sha: z.string(),
  started_at: iso,
  finished_at: iso.nullable(),
  agent: z.object({ slug: z.string(), name: z.string(), vertical: z.string() }),
  suite: z.object({ slug: z.string(), name: z.string() }),
  agent_version: agentVersion,
  totals: z.object({
    cases: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    errored: z.number().int(),
  }),
  pass_rate: rate.nullable(),
  p50_latency_ms: z.number().int().nullable(),
  p95_latency_ms: z.number().int().nullable(),
  time_to_first_audio_p50_ms: z.number().int().nullable(),
  cost_usd: z.number(),
});

const delta = z.object({
  pass_rate: z.number().nullable().describe('this run minus the previous one, as a fraction (-0.25 = 25 points worse)'),
  passed_cases: z.number().int(),
  failed_cases: z.number().int(),
  p50_latency_ms: z.number().int().nullable(),
  p95_latency_ms: z.number().int().nullable(),
  time_to_first_audio_p50_ms: z.number().int().nullable(),
  cost_usd: z.number(),
  version_changed: z.boolean(),
  changes: z.array(z.string()).describe('what differs in the agent configuration, e.g. "tts: a -> b"'),
});

const example = z.object({
  case: z.string(),
  expected: z.string(),
  actual: z.string().nullable(),
  reasoning: z.string(),
});

const failingAssertion = z.object({
  kind: z.string(),
  category: z.enum(['entity', 'behavior', 'latency']),
  failed: z.number().int(),
  checked: z.number().int(),
  failed_in_previous_run: z.number().int().nullable(),
  new_in_this_run: z.boolean().describe('failing here but not in the previous run of the suite'),
  examples: z.array(example),
});

const caseSummary = z.object({
  case_result_id: z.number().int(),
  case: z.string(),
  title: z.string(),
  status: z.enum(['passed', 'failed', 'errored', 'skipped']),
  score: z.number().nullable(),
  error: z.string().nullable(),
  time_to_first_audio_ms: z.number().int().nullable(),
  p95_turn_latency_ms: z.number().int().nullable(),
  interruptions: z.number().int().nullable(),
  wer: z.number().nullable(),
  failed_assertions: z.array(z.string()),
});

const turn = z.object({
  speaker: z.enum(['agent', 'caller']),
  text: z.string(),
  start_ms: z.number(),
  end_ms: z.number(),
  latency_ms: z.number().optional(),
});

const caseDetail = caseSummary.extend({
  persona: z.string(),
  scenario: z.string(),
  duration_ms: z.number().int().nullable(),
  avg_turn_latency_ms: z.number().int().nullable(),
  turns: z.number().int().nullable(),
  assertions: z.array(example.omit({ case: true }).extend({ kind: z.string(), passed: z.boolean() })),
  transcript: z.array(turn).nullable().optional(),
});

const historyPoint = z.object({
  run_id: z.number().int(),
  started_at: iso,
  pass_rate: rate.nullable(),
  status: z.string(),
  trigger: z.string(),
  agent_version: z.string(),
});

/** What `get_eval_run` returns as structuredContent. */
export const evalRunReport = z.object({
  run: runSummary,
  previous_run: runSummary
    .pick({ id: true, status: true, started_at: true, pass_rate: true, p50_latency_ms: true, p95_latency_ms: true })
    .extend({ agent_version: z.string() })
    .nullable(),
  delta: delta.nullable(),
  failing_assertions: z.array(failingAssertion),
  worst_cases: z.array(caseSummary),
  pass_rate_history: z.array(historyPoint).describe("the suite's runs up to this one, oldest first"),
  cases: z.array(caseDetail).optional(),
});

export type EvalRunReport = z.infer<typeof evalRunReport>;
export type RunSummary = z.infer<typeof runSummary>;
export type CaseDetail = z.infer<typeof caseDetail>;
