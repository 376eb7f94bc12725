import type { CaseSpec } from './cases.js';
import { formatAddress } from './cases.js';
import type { Kind } from './catalog.js';

/** One turn of a call, as stored in `case_results.transcript`. */
export interface Turn {
  readonly speaker: 'agent' | 'caller';
  readonly text: string;
  readonly start_ms: number;
  readonly end_ms: number;
  /** Agent turns: silence between the caller's last word (or connect) and the agent's first audio. */
  readonly latency_ms?: number;
}

/** What the agent captured, by kind; it reads these back, so a wrong value is audible in the transcript. */
export type Captured = Partial<Record<Kind, string | null>>;

/** Kinds the agent asks one question for; date, time and service come with the caller's opening request. */
const ASKED: readonly Kind[] = ['caller_name', 'party_size', 'address', 'insurance', 'callback_number'];

/** How many times the agent speaks in this case's call (needed to draw its latencies first). */
export function agentTurnCount(spec: CaseSpec): number {
  return questions(spec).length + (spec.facts.emergency ? 1 : 0) + 3;
}

/**
 * The call as a list of turns: greeting, request, one question per detail, the gas-smell moment of emergency
 * cases, the read-back of what was captured, and the goodbye. `latencies` has one entry per agent turn.
 */
export function buildTranscript(
  spec: CaseSpec,
  business: string,
  captured: Captured,
  latencies: readonly number[],
  bookingDate: string,
): Turn[] {
  const { facts } = spec;
  const lines: [Turn['speaker'], string][] = [
    ['agent', `Thanks for calling ${business}, this is the virtual assistant. How can I help?`],
    ['caller', opening(spec, bookingDate)],
  ];
  for (const kind of questions(spec)) lines.push(['agent', QUESTION[kind] ?? ''], ['caller', answer(kind, spec)]);
  if (facts.emergency) {
    lines.push(['caller', 'Actually, wait. I can smell gas near the furnace.']);
    lines.push([
      'agent',
      captured.handoff === 'transfer to on-call technician'
        ? 'Please leave the house now and stay outside. I am transferring you to our on-call technician.'
        : 'Let us try a few things first. Is the pilot light on?',
    ]);
  }
  lines.push(['agent', readBack(spec, captured)], ['caller', 'Yes, that is right. Thanks.']);
  lines.push(['agent', 'You are all set. Have a good day!']);
  return timeTurns(lines, latencies);
}

function questions(spec: CaseSpec): Kind[] {
  return ASKED.filter((kind) => spec.checks.includes(kind));
}

const QUESTION: Partial<Record<Kind, string>> = {
  caller_name: 'Can I have your full name, please?',
  party_size: 'How many guests will be joining?',
  address: 'What is the address?',
  insurance: 'Which insurance do you have, and what is the member ID on the card?',
  callback_number: 'What is the best number to reach you?',
};

function opening(spec: CaseSpec, bookingDate: string): string {
  if (!spec.checks.includes('date')) return 'Hi, I need to update the insurance you have on file for me.';
  return `Hi, I would like to book ${spec.facts.service} for ${spokenDate(bookingDate)} at ${spokenTime(spec.facts.time)}.`;
}

function answer(kind: Kind, spec: CaseSpec): string {
  const { facts } = spec;
  switch (kind) {
    case 'caller_name':
      return `It is ${facts.callerName}.`;
    case 'party_size':
      return `There will be ${facts.partySize} of us.`;
    case 'address':
      return `${formatAddress(facts.address)}.`;
    case 'insurance':
      return `${facts.insurance.payer}, member ID ${facts.insurance.memberId.split('').join(' ')}.`;
    default:
      return `${spokenPhone(facts.callbackNumber)}.`;
  }
}

function readBack(spec: CaseSpec, captured: Captured): string {
  const parts: string[] = [];
  const value = (kind: Kind) => captured[kind] ?? 'nothing noted';
  if (spec.checks.includes('caller_name')) parts.push(value('caller_name'));
  if (spec.checks.includes('date')) {
    const date = captured.date;
    const when = date ? spokenDate(date) : 'a day to be confirmed';
    parts.push(
      `${value('service')} on ${when} at ${captured.time ? spokenTime(captured.time) : 'a time to be confirmed'}`,
    );
  }
  if (spec.checks.includes('party_size')) parts.push(`party of ${value('party_size')}`);
  if (spec.checks.includes('address')) parts.push(`at ${value('address')}`);
  if (spec.checks.includes('insurance')) parts.push(`insurance ${value('insurance')}`);
  if (spec.checks.includes('callback_number')) parts.push(`callback ${value('callback_number')}`);
  return `To confirm: ${parts.join(', ')}. Is that right?`;
}

/** Lays the lines out on a clock: speech takes ~320 ms a word, agent turns start after their latency. */
function timeTurns(lines: readonly [Turn['speaker'], string][], latencies: readonly number[]): Turn[] {
  const turns: Turn[] = [];
  let clock = 0;
  let agentTurn = 0;
  for (const [speaker, text] of lines) {
    const words = text.split(/\s+/).length;
    if (speaker === 'agent') {
      const latency = latencies[agentTurn++] ?? 800;
      const start = clock + latency;
      clock = start + words * 300;
      turns.push({ speaker, text, start_ms: start, end_ms: clock, latency_ms: latency });
    } else {
      const start = clock + 350;
      clock = start + words * 340;
      turns.push({ speaker, text, start_ms: start, end_ms: clock });
    }
  }
  return turns;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Tuesday the 21st" for 2026-07-21. */
function spokenDate(date: string): string {
  const value = new Date(`${date}T00:00:00Z`);
  const day = value.getUTCDate();
  const suffix =
    day % 10 === 1 && day !== 11
      ? 'st'
      : day % 10 === 2 && day !== 12
        ? 'nd'
        : day % 10 === 3 && day !== 13
          ? 'rd'
          : 'th';
  return `${WEEKDAYS[value.getUTCDay()]} the ${day}${suffix}`;
}

/** "3:30 pm" for 15:30. */
function spokenTime(time: string): string {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const clock = hours % 12 === 0 ? 12 : hours % 12;
  return `${clock}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`} ${hours < 12 ? 'am' : 'pm'}`;
}

/** "(201) 555-0143" for +12015550143. */
function spokenPhone(e164: string): string {
  const digits = e164.slice(2);
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}
