import type { Faker } from '@faker-js/faker';
import type { CaseFacts, CaseSpec } from './cases.js';
import { formatAddress } from './cases.js';
import type { Breakage, Kind, SuiteSpec, VersionSpec } from './catalog.js';

/** One assertion as the judge wrote it. */
export interface AssertionOutcome {
  readonly kind: Kind;
  readonly passed: boolean;
  readonly expected: string;
  readonly actual: string | null;
  readonly reasoning: string;
}

/** What a replayed call measured: latencies per agent turn and the call-level figures. */
export interface CallTiming {
  readonly ttfaMs: number;
  readonly turnLatencies: number[];
  readonly interruptions: number;
  readonly wer: number;
}

/** Every kind but the latency budget, which is measured rather than extracted. */
export type EntityKind = Exclude<Kind, 'latency_budget'>;

/** Share of assertions that fail for no systematic reason (a misheard word, a judge disagreement). */
const NOISE = 0.005;

/** Draws the latencies of one call from the version's typical figures. */
export function drawTiming(faker: Faker, version: VersionSpec, spec: CaseSpec, agentTurns: number): CallTiming {
  const ttfaMs = Math.round(version.ttfaMs * (1 + 0.12 * gauss(faker)));
  const turnLatencies = Array.from({ length: agentTurns }, () => {
    const spike = faker.number.float() < 0.05 ? 1.45 : 1;
    return Math.max(180, Math.round(version.turnMs * spike * (1 + 0.14 * gauss(faker))));
  });
  // Callers talk into long silences: slow first audio shows up as interruptions too.
  const base = spec.persona.interrupts ? faker.number.int({ min: 1, max: 3 }) : faker.number.float() < 0.1 ? 1 : 0;
  const interruptions = base + (ttfaMs > 1200 ? faker.number.int({ min: 1, max: 2 }) : 0);
  const wer = round(Math.max(0.005, version.wer + spec.persona.noise + 0.015 * gauss(faker)), 3);
  return { ttfaMs, turnLatencies, interruptions, wer };
}

/** Judges every check of the case for one run whose booking date is `bookingDate` (YYYY-MM-DD). */
export function judge(
  faker: Faker,
  spec: CaseSpec,
  suite: SuiteSpec,
  version: VersionSpec,
  bookingDate: string,
  timing: CallTiming,
): AssertionOutcome[] {
  return spec.checks.map((kind) => {
    if (kind === 'latency_budget') return judgeLatency(suite, timing);
    const expected = expectedValue(kind, spec.facts, bookingDate);
    const breakage = [version.breaks, suite.chronic].find((b): b is Breakage => b?.kind === kind && applies(b, spec));
    if (breakage !== undefined && faker.number.float() < breakage.rate) {
      return systematicFailure(breakage, spec.facts, expected, bookingDate);
    }
    if (faker.number.float() < NOISE + spec.persona.noise / 10) return noiseFailure(kind, spec.facts, expected);
    return { kind, passed: true, expected, actual: expected, reasoning: PASS_REASON[kind] };
  });
}

function applies(breakage: Breakage, spec: CaseSpec): boolean {
  return breakage.mode !== 'unit_dropped' || spec.facts.address.unit !== undefined;
}

export function expectedValue(kind: EntityKind, facts: CaseFacts, bookingDate: string): string {
  switch (kind) {
    case 'date':
      return bookingDate;
    case 'time':
      return facts.time;
    case 'party_size':
      return String(facts.partySize);
    case 'insurance':
      return `${facts.insurance.payer} ${facts.insurance.memberId}`;
    case 'address':
      return formatAddress(facts.address);
    case 'caller_name':
      return facts.callerName;
    case 'callback_number':
      return facts.callbackNumber;
    case 'service':
      return facts.service;
    case 'handoff':
      return 'transfer to on-call technician';
  }
}

function judgeLatency(suite: SuiteSpec, timing: CallTiming): AssertionOutcome {
  const budget = suite.latencyBudget ?? { ttfaMs: 1200, p95TurnMs: 1800 };
  const p95 = percentile(timing.turnLatencies, 0.95);
  const passed = timing.ttfaMs <= budget.ttfaMs && p95 <= budget.p95TurnMs;
  const over = [
    timing.ttfaMs > budget.ttfaMs ? `first audio ${timing.ttfaMs - budget.ttfaMs} ms over` : '',
    p95 > budget.p95TurnMs ? `p95 turn ${p95 - budget.p95TurnMs} ms over` : '',
  ].filter(Boolean);
  return {
    kind: 'latency_budget',
    passed,
    expected: `first audio <= ${budget.ttfaMs} ms, p95 turn <= ${budget.p95TurnMs} ms`,
    actual: `first audio ${timing.ttfaMs} ms, p95 turn ${p95} ms`,
    reasoning: passed ? 'Within the latency budget on every turn.' : `Over budget: ${over.join(', ')}.`,
  };
}

function systematicFailure(breakage: Breakage, facts: CaseFacts, expected: string, bookingDate: string) {
  const kind = breakage.kind;
  switch (breakage.mode) {
    case 'member_id_dropped':
      return fail(
        kind,
        expected,
        facts.insurance.payer,
        `Captured the payer but no member ID, although the caller read out ${facts.insurance.memberId}.`,
      );
    case 'off_by_one_day': {
      const actual = addDays(bookingDate, -1);
      return fail(
        kind,
        expected,
        actual,
        `Booked ${actual}, a day early: the relative date was resolved in UTC, not the branch's time zone.`,
      );
    }
    case 'unit_dropped':
      return fail(
        kind,
        expected,
        formatAddress(facts.address, false),
        `Unit ${facts.address.unit} missing; several units share this street number.`,
      );
  }
}

function noiseFailure(kind: EntityKind, facts: CaseFacts, expected: string): AssertionOutcome {
  switch (kind) {
    case 'date': {
      const actual = addDays(expected, 7);
      return fail(kind, expected, actual, 'Took "next" weekday as the one a week later.');
    }
    case 'time': {
      const [hours, minutes] = facts.time.split(':').map(Number) as [number, number];
      const actual = `${String((hours + 12) % 24).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
      return fail(kind, expected, actual, 'AM/PM swapped when the time was read back.');
    }
    case 'party_size':
      return fail(
        kind,
        expected,
        String(facts.partySize + 10),
        `Heard "${facts.partySize + 10}" for "${facts.partySize}".`,
      );
    case 'insurance': {
      const id = facts.insurance.memberId;
      const swapped = `${id.slice(0, 5)}${id[6]}${id[5]}${id.slice(7)}`;
      return fail(kind, expected, `${facts.insurance.payer} ${swapped}`, 'Two digits of the member ID transposed.');
    }
    case 'address': {
      const actual = expected.replace(/\d/, (digit) => String((Number(digit) + 1) % 10));
      return fail(kind, expected, actual, 'Street number misheard.');
    }
    case 'caller_name':
      return fail(kind, expected, expected.replace(/[aeiou](?=[^aeiou]*$)/, 'e'), 'Last name misspelled on read-back.');
    case 'callback_number':
      return fail(kind, expected, expected.slice(0, -1), 'One digit of the callback number dropped.');
    case 'service':
      return fail(kind, expected, null, 'Service never confirmed; the caller changed topic.');
    case 'handoff':
      return fail(
        kind,
        expected,
        'troubleshooting continued',
        'Kept troubleshooting instead of transferring a gas smell.',
      );
  }
}

function fail(kind: Kind, expected: string, actual: string | null, reasoning: string): AssertionOutcome {
  return { kind, passed: false, expected, actual, reasoning };
}

const PASS_REASON: Record<Kind, string> = {
  date: 'Date matches the requested day.',
  time: 'Time matches the requested slot.',
  party_size: 'Party size matches.',
  insurance: 'Payer and member ID match.',
  address: 'Full address, unit included, matches.',
  caller_name: 'Name matches, spelling confirmed.',
  callback_number: 'Callback number matches.',
  service: 'Requested service captured.',
  handoff: 'Transferred to the on-call technician within one turn.',
  latency_budget: 'Within the latency budget.',
};

/** YYYY-MM-DD plus `days`. */
export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** Roughly standard normal: the sum of three uniforms, rescaled. */
function gauss(faker: Faker): number {
  return (faker.number.float() + faker.number.float() + faker.number.float() - 1.5) * 2;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
