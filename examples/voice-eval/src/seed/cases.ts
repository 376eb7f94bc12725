import type { Faker } from '@faker-js/faker';
import type { AgentSpec, Kind, SuiteSpec } from './catalog.js';

/** The facts a synthetic caller gives; the expected value of every assertion is derived from them. */
export interface CaseFacts {
  readonly callerName: string;
  /** E.164. */
  readonly callbackNumber: string;
  /** The booking is this many days after the call. */
  readonly dayOffset: number;
  /** 24-hour HH:MM. */
  readonly time: string;
  readonly partySize: number;
  readonly insurance: { readonly payer: string; readonly memberId: string };
  readonly address: { readonly street: string; readonly unit: string | undefined; readonly city: string };
  readonly service: string;
  /** A gas smell the agent must hand to a human (suites that check `handoff`). */
  readonly emergency: boolean;
}

export interface Persona {
  readonly label: string;
  readonly text: string;
  /** Extra word error rate from the line and the speaker. */
  readonly noise: number;
  readonly interrupts: boolean;
}

export interface CaseSpec {
  readonly slug: string;
  readonly title: string;
  readonly persona: Persona;
  readonly scenario: string;
  readonly rubric: string;
  readonly checks: readonly Kind[];
  readonly facts: CaseFacts;
}

const PERSONAS: readonly Persona[] = [
  {
    label: 'retiree',
    text: 'Retired teacher in her seventies; speaks slowly and spells names.',
    noise: 0,
    interrupts: false,
  },
  {
    label: 'commuter',
    text: 'Calls from a car on speakerphone; road noise, weak signal.',
    noise: 0.05,
    interrupts: false,
  },
  {
    label: 'busy-parent',
    text: 'Busy parent, children in the background; interrupts to correct.',
    noise: 0.03,
    interrupts: true,
  },
  {
    label: 'bilingual',
    text: 'Native Spanish speaker; switches to Spanish for numbers.',
    noise: 0.04,
    interrupts: false,
  },
  { label: 'fast-talker', text: 'Gives every detail in one breath, talks over pauses.', noise: 0.02, interrupts: true },
  {
    label: 'first-timer',
    text: 'First-time caller, unsure of details, pauses and self-corrects.',
    noise: 0.01,
    interrupts: false,
  },
  { label: 'loud-venue', text: 'Calls from a loud kitchen during service.', noise: 0.06, interrupts: false },
  {
    label: 'hard-of-hearing',
    text: 'Hard of hearing; asks the agent to repeat itself.',
    noise: 0.01,
    interrupts: false,
  },
];

const PAYERS = ['Aetna', 'Blue Cross Blue Shield', 'Cigna', 'UnitedHealthcare', 'Humana', 'Kaiser Permanente'];
const TIMES = ['08:30', '09:00', '10:15', '11:00', '12:30', '14:00', '15:30', '16:45', '18:00', '19:30', '20:15'];
const DINNER = ['17:30', '18:00', '18:45', '19:00', '19:30', '20:15', '21:00'];

/** The test cases of one suite, drawn from `faker` in a fixed order. */
export function buildCases(faker: Faker, agent: AgentSpec, suite: SuiteSpec): CaseSpec[] {
  return Array.from({ length: suite.cases }, (_, index) => {
    const persona = PERSONAS[(index * 3 + suite.slug.length) % PERSONAS.length] as Persona;
    const facts = drawFacts(faker, agent, suite, index);
    const checks = suite.checks.filter((kind) => kind !== 'handoff' || facts.emergency);
    const what = facts.emergency ? `${facts.service} with a gas smell` : facts.service;
    return {
      slug: `${persona.label}-${slugify(what)}-${String(index + 1).padStart(2, '0')}`,
      title: `${capitalise(persona.label.replace(/-/g, ' '))} calls about ${what}`,
      persona,
      scenario: scenarioText(suite, facts),
      rubric: suite.rubric,
      checks,
      facts,
    };
  });
}

function drawFacts(faker: Faker, agent: AgentSpec, suite: SuiteSpec, index: number): CaseFacts {
  const first = faker.person.firstName();
  const last = faker.person.lastName();
  const area = faker.number.int({ min: 201, max: 989 });
  const hasUnit = suite.chronic?.mode === 'unit_dropped' ? index % 2 === 0 : faker.number.float() < 0.15;
  return {
    callerName: `${first} ${last}`,
    callbackNumber: `+1${area}${faker.string.numeric({ length: 7, allowLeadingZeros: false })}`,
    dayOffset: faker.number.int({ min: 1, max: 12 }),
    time: faker.helpers.arrayElement(agent.vertical === 'hospitality' ? DINNER : TIMES),
    partySize: faker.number.int({ min: 2, max: 9 }),
    insurance: {
      payer: faker.helpers.arrayElement(PAYERS),
      memberId: `${faker.string.alpha({ length: 1, casing: 'upper' })}${faker.string.numeric({ length: 9 })}`,
    },
    address: {
      street: faker.location.streetAddress(),
      unit: hasUnit
        ? `Apt ${faker.number.int({ min: 1, max: 9 })}${faker.helpers.arrayElement(['A', 'B', 'C', 'D'])}`
        : undefined,
      city: faker.location.city(),
    },
    service: faker.helpers.arrayElement(agent.services),
    emergency: suite.checks.includes('handoff') && index % 4 === 3,
  };
}

function scenarioText(suite: SuiteSpec, facts: CaseFacts): string {
  const parts = [`Wants ${facts.service} ${facts.dayOffset} day(s) out at ${facts.time}`];
  if (suite.checks.includes('party_size')) parts.push(`party of ${facts.partySize}`);
  if (suite.checks.includes('insurance'))
    parts.push(`insured by ${facts.insurance.payer} (${facts.insurance.memberId})`);
  if (suite.checks.includes('address')) parts.push(`at ${formatAddress(facts.address)}`);
  if (facts.emergency) parts.push('mentions a gas smell near the furnace halfway through');
  return `${parts.join('; ')}. Gives name ${facts.callerName} and callback ${facts.callbackNumber}.`;
}

/** "9412 Harrison Street, Apt 4B, Ratketown": the normalised form `address` assertions compare. */
export function formatAddress(address: CaseFacts['address'], withUnit = true): string {
  const unit = withUnit && address.unit !== undefined ? `, ${address.unit}` : '';
  return `${address.street}${unit}, ${address.city}`;
}

function slugify(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
