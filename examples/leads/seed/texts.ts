import type { StageKind } from './catalog-data.js';
import type { Random } from './random.js';
import type { Vertical } from './verticals.js';

/** What the note, transcript and message templates fill in. */
export interface TextFacts {
  readonly firstName: string;
  readonly company: string;
  readonly vertical: Vertical;
  readonly locations: number;
  readonly monthlyCalls: number;
  readonly system: string;
  readonly painPoint: string;
}

const FEATURES = [
  'after-hours answering',
  'insurance verification',
  'calendar booking',
  'SMS confirmations',
  'bilingual agent',
  'call summaries',
  'warm transfer to staff',
];

/** A note a rep would write when a lead reaches or leaves `stage`. */
export function noteFor(rng: Random, stage: StageKind, f: TextFacts, lostReason?: string): string {
  const where = f.locations > 1 ? `${f.locations} locations` : 'one location';
  switch (stage) {
    case 'new':
      return `Inbound from ${f.company}: ${f.painPoint}. Roughly ${f.monthlyCalls} calls a month across ${where}.`;
    case 'contacted':
      return `Discovery call with ${f.firstName}: ${f.painPoint}; they run ${f.system}. ${rng.pick(['Wants pricing before a demo.', 'Open to a demo next week.', 'Partner decides, loop them in.', 'Currently pays an answering service and is unhappy with it.'])}`;
    case 'qualified':
      return `Qualified: ${where}, ~${f.monthlyCalls} calls/month, ${f.system} in place. ${f.vertical.slug === 'healthcare' ? 'Needs a BAA before any PHI flows.' : rng.pick(['Budget owner identified.', 'Decision within the quarter.', 'Comparing two vendors.'])}`;
    case 'demo':
      return `Demo with ${f.firstName} went ${rng.pick(['well', 'very well', 'okay'])}. Liked the ${rng.pick(FEATURES)}; asked about the ${rng.pick(FEATURES)} and the ${f.system} integration.`;
    case 'trial':
      return `Trial check-in: the agent handled ${rng.int(40, 400)} calls so far, ${rng.int(5, 90)} bookings, ${rng.int(0, 6)} transfers to staff. ${rng.pick(['Staff love the summaries.', 'One complaint about pronunciation of the street names.', 'Wants Spanish turned on.', 'Asked to extend the trial a week.'])}`;
    case 'negotiation':
      return `Sent the quote. ${f.firstName} is ${rng.pick(['pushing for annual pricing', 'asking for a multi-location discount', 'waiting on the partner to sign', 'reviewing the contract with their lawyer'])}.`;
    case 'won':
      return `Signed! ${f.company} goes live on ${where}. Onboarding kickoff booked.`;
    case 'lost':
      return `Closed lost: ${lostReason ?? 'no decision'}. ${rng.pick(['Revisit in six months.', 'Keep in the nurture sequence.', 'Not a fit right now.'])}`;
  }
}

/** Speaker turns of a short call between our agent (or rep) and the lead. */
export function transcriptTurns(
  rng: Random,
  f: TextFacts,
  agentName: string,
  booked: boolean,
): { speaker: string; text: string; at_ms: number }[] {
  const lines: [string, string][] = [
    ['agent', `Thanks for calling, this is ${agentName}. Who do I have the pleasure of speaking with?`],
    ['caller', `Hi, this is ${f.firstName} from ${f.company}.`],
    ['agent', `Great to meet you, ${f.firstName}. What made you reach out today?`],
    ['caller', `Honestly, ${f.painPoint}. We get about ${f.monthlyCalls} calls a month.`],
    ['agent', `That is exactly what we fix. Do you use ${f.system} for scheduling?`],
    ['caller', rng.pick(['Yes, we do.', 'We do, for now.', 'Something similar.'])],
  ];
  if (booked) {
    lines.push([
      'agent',
      'I can book you a fifteen-minute demo with one of our specialists. Does Thursday at two work?',
    ]);
    lines.push(['caller', 'Thursday works.']);
    lines.push(['agent', 'You are booked. I will text you a confirmation now.']);
  } else {
    lines.push(['agent', 'Would you like me to send pricing by text?']);
    lines.push(['caller', rng.pick(['Sure, send it.', 'Email is better.', 'Not right now, thanks.'])]);
  }
  let at = 0;
  return lines.map(([speaker, text]) => {
    const turn = { speaker, text, at_ms: at };
    at += 1_500 + text.length * 55 + rng.int(0, 900);
    return turn;
  });
}

/** The LLM summary stored with a transcript. */
export function callSummary(f: TextFacts, booked: boolean): string {
  return `${f.firstName} from ${f.company} (${f.vertical.name.toLowerCase()}, ${f.locations} location${f.locations > 1 ? 's' : ''}) called because ${f.painPoint}; about ${f.monthlyCalls} calls a month on ${f.system}. ${booked ? 'Demo booked.' : 'Sent pricing; follow up.'}`;
}

/** The text of an outbound message of `kind`, or a lead's reply. */
export function smsBody(rng: Random, f: TextFacts, kind: 'outreach' | 'confirmation' | 'trial' | 'reply'): string {
  switch (kind) {
    case 'outreach':
      return `Hi ${f.firstName}, thanks for your interest in AI answering for ${f.company}. Want a 15-min demo this week? Reply YES and we'll set it up. Reply STOP to opt out.`;
    case 'confirmation':
      return `You're confirmed for your demo on ${rng.pick(['Tue', 'Wed', 'Thu'])} at ${rng.pick(['10:00', '13:30', '15:00'])}. Reply R to reschedule.`;
    case 'trial':
      return `Your trial agent answered ${rng.int(5, 80)} calls yesterday for ${f.company}. See the summaries in your dashboard.`;
    case 'reply':
      return rng.pick(['YES', 'Can we do next week?', 'Call me after 4', 'Who is this?', 'Sounds good', 'STOP']);
  }
}

/** The subject of an email a rep sends in `stage`. */
export function emailSubject(rng: Random, stage: StageKind, f: TextFacts): string {
  const subjects: Partial<Record<StageKind, string[]>> = {
    new: [`Answering every call at ${f.company}`, `${f.firstName}, quick question about your front desk`],
    contacted: ['Recap and next steps', `Pricing for ${f.company}`],
    demo: ['Your demo recording and pricing', 'Following up on the demo'],
    trial: ['Your trial agent is live', 'Trial week one: what your agent handled'],
    negotiation: [`Quote for ${f.company}`, 'Updated proposal'],
  };
  return rng.pick(subjects[stage] ?? ['Checking in']);
}
