/** The assertion kinds the seed uses; `migrations/002_suites.sql` defines them all. */
export type Kind =
  | 'date'
  | 'time'
  | 'party_size'
  | 'insurance'
  | 'address'
  | 'caller_name'
  | 'callback_number'
  | 'service'
  | 'handoff'
  | 'latency_budget';

/** How a broken extraction shows up in `actual`; see `outcomes.ts`. */
export type FailureMode = 'member_id_dropped' | 'off_by_one_day' | 'unit_dropped';

/** A failure that a version (a regression) or a suite (a chronic weakness) brings with it. */
export interface Breakage {
  readonly kind: Kind;
  /** Share of the affected assertions that fail. */
  readonly rate: number;
  readonly mode: FailureMode;
}

export interface VersionSpec {
  readonly version: string;
  /** Days before the anchor night (fractional: 4.5 is noon four and a half days before). */
  readonly releasedDaysAgo: number;
  readonly llmModel: string;
  readonly stt: readonly [provider: string, model: string];
  readonly tts: readonly [provider: string, voice: string];
  readonly changelog: string;
  /** Typical time to first audio and per-turn latency of this configuration, in ms. */
  readonly ttfaMs: number;
  readonly turnMs: number;
  /** Word error rate of its speech-to-text on clean audio. */
  readonly wer: number;
  readonly breaks?: Breakage;
}

export interface SuiteSpec {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly cases: number;
  /** Checked on every case; `handoff` is added to the emergency cases of suites that list it. */
  readonly checks: readonly Kind[];
  readonly rubric: string;
  readonly latencyBudget?: { readonly ttfaMs: number; readonly p95TurnMs: number };
  readonly chronic?: Breakage;
}

export interface AgentSpec {
  readonly slug: string;
  readonly name: string;
  readonly vertical: 'healthcare' | 'real_estate' | 'salons' | 'hospitality' | 'home_services' | 'automotive';
  readonly business: string;
  readonly description: string;
  readonly services: readonly string[];
  readonly versions: readonly VersionSpec[];
  readonly suites: readonly SuiteSpec[];
}

const REALTIME = 'gpt-4o-realtime-preview-2025-06-03';
const MINI = 'gpt-4o-mini-realtime-preview';
const CONFIRM = 'Reads every captured detail back to the caller before booking; never invents availability.';

/** What an agent's versions share unless a release changes it. */
type Stack = Pick<VersionSpec, 'llmModel' | 'stt' | 'tts' | 'ttfaMs' | 'turnMs' | 'wer'>;

function release(
  stack: Stack,
  version: string,
  releasedDaysAgo: number,
  changelog: string,
  changes: Partial<VersionSpec> = {},
): VersionSpec {
  return { ...stack, version, releasedDaysAgo, changelog, ...changes };
}

const PHONECALL: Stack['stt'] = ['deepgram', 'nova-2-phonecall'];
const clinic: Stack = {
  llmModel: REALTIME,
  stt: ['deepgram', 'nova-2-medical'],
  tts: ['cartesia', 'sonic-2/katie'],
  ttfaMs: 700,
  turnMs: 820,
  wer: 0.07,
};
const restaurant: Stack = {
  llmModel: MINI,
  stt: PHONECALL,
  tts: ['cartesia', 'sonic-2/ronald'],
  ttfaMs: 610,
  turnMs: 760,
  wer: 0.075,
};
const realty: Stack = {
  llmModel: REALTIME,
  stt: ['assemblyai', 'universal-streaming'],
  tts: ['openai', 'gpt-4o-mini-tts/alloy'],
  ttfaMs: 820,
  turnMs: 900,
  wer: 0.065,
};
const salon: Stack = {
  llmModel: MINI,
  stt: PHONECALL,
  tts: ['cartesia', 'sonic-2/sophie'],
  ttfaMs: 640,
  turnMs: 780,
  wer: 0.075,
};
const hvac: Stack = {
  llmModel: REALTIME,
  stt: ['deepgram', 'nova-3'],
  tts: ['deepgram', 'aura-2/orion'],
  ttfaMs: 760,
  turnMs: 880,
  wer: 0.05,
};
const dealer: Stack = {
  llmModel: MINI,
  stt: PHONECALL,
  tts: ['openai', 'gpt-4o-mini-tts/ash'],
  ttfaMs: 700,
  turnMs: 840,
  wer: 0.08,
};

export const AGENTS: readonly AgentSpec[] = [
  {
    slug: 'clinic-front-desk',
    name: 'Clinic Front Desk',
    vertical: 'healthcare',
    business: 'Maple Street Family Clinic',
    description: 'Books, moves and cancels appointments and verifies insurance for a family practice.',
    services: ['annual physical', 'flu shot', 'follow-up visit', 'sick visit', 'lab work'],
    versions: [
      release(clinic, 'v13', 45, 'Verify date of birth before booking.'),
      release(clinic, 'v14', 19.4, 'Spanish greeting and language switch.', { ttfaMs: 705 }),
      release(clinic, 'v15', 4.55, 'Shortened insurance verification: ask for payer and member ID in one question.', {
        breaks: { kind: 'insurance', rate: 0.8, mode: 'member_id_dropped' },
      }),
    ],
    suites: [
      {
        slug: 'appointment-booking',
        name: 'Appointment booking',
        description: 'New and returning patients booking a visit, with insurance on file.',
        cases: 12,
        checks: ['caller_name', 'date', 'time', 'callback_number', 'insurance'],
        rubric: `${CONFIRM} Asks for insurance before confirming. Under 2 minutes.`,
      },
      {
        slug: 'insurance-intake',
        name: 'Insurance intake',
        description: 'Callers updating or reading out their insurance details.',
        cases: 10,
        checks: ['caller_name', 'insurance'],
        rubric: 'Captures payer and member ID exactly; spells the member ID back in groups of three.',
      },
    ],
  },
  {
    slug: 'restaurant-host',
    name: 'Restaurant Host',
    vertical: 'hospitality',
    business: 'Harbor & Vine',
    description: 'Takes table reservations and answers questions about hours and the menu.',
    services: ['dinner reservation', "chef's counter", 'private dining room'],
    versions: [
      release(restaurant, 'v8', 60, 'Holiday hours and the new patio.'),
      release(restaurant, 'v9', 9.45, 'Switched to the ElevenLabs multilingual voice for a warmer fine-dining tone.', {
        tts: ['elevenlabs', 'eleven_multilingual_v2/charlotte'],
        ttfaMs: 1180,
        turnMs: 1290,
      }),
    ],
    suites: [
      {
        slug: 'reservations',
        name: 'Reservations',
        description: 'Parties of every size booking, with the latency budget of a live phone line.',
        cases: 12,
        checks: ['caller_name', 'date', 'time', 'party_size', 'callback_number', 'latency_budget'],
        rubric: `${CONFIRM} Offers the nearest open time when the requested one is full.`,
        latencyBudget: { ttfaMs: 1000, p95TurnMs: 1500 },
      },
    ],
  },
  {
    slug: 'showing-scheduler',
    name: 'Showing Scheduler',
    vertical: 'real_estate',
    business: 'Keystone Realty',
    description: 'Schedules property showings for buyers calling about a listing.',
    services: ['showing', 'open house visit'],
    versions: [
      release(realty, 'v21', 70, 'Listing lookup by street name.'),
      release(realty, 'v22', 24.4, 'Offer the next two open slots when the requested one is taken.', { ttfaMs: 830 }),
    ],
    suites: [
      {
        slug: 'showing-requests',
        name: 'Showing requests',
        description: 'Buyers asking to see a listing, often with a unit number.',
        cases: 10,
        checks: ['caller_name', 'address', 'date', 'time'],
        rubric: `${CONFIRM} Repeats the full listing address, unit included.`,
        chronic: { kind: 'address', rate: 0.3, mode: 'unit_dropped' },
      },
    ],
  },
  {
    slug: 'salon-booking',
    name: 'Salon Booking',
    vertical: 'salons',
    business: 'Studio Lumen',
    description: 'Books cuts, colour and treatments with a named stylist.',
    services: ['balayage', "women's cut", "men's cut", 'gloss treatment', 'blowout'],
    versions: [
      release(salon, 'v5', 50, 'Remember stylist preferences of returning clients.'),
      release(salon, 'v6', 7.45, 'Ask about hair length before quoting colour services.', { ttfaMs: 650 }),
    ],
    suites: [
      {
        slug: 'stylist-bookings',
        name: 'Stylist bookings',
        description: 'Clients booking a service with or without a preferred stylist.',
        cases: 10,
        checks: ['caller_name', 'service', 'date', 'time'],
        rubric: `${CONFIRM} Quotes the price range for colour services.`,
      },
    ],
  },
  {
    slug: 'hvac-dispatch',
    name: 'HVAC Dispatch',
    vertical: 'home_services',
    business: 'Northwind Heating & Air',
    description: 'Books service visits and routes emergencies to the on-call technician.',
    services: ['AC repair', 'furnace tune-up', 'thermostat install', 'duct cleaning'],
    versions: [
      release(hvac, 'v6', 80, 'Offer the maintenance plan after booking a repair.'),
      release(hvac, 'v7', 17.45, "Resolve relative dates in the caller's time zone.", {
        breaks: { kind: 'date', rate: 0.7, mode: 'off_by_one_day' },
      }),
      release(hvac, 'v7.1', 12.35, "Revert date resolution to the branch's time zone."),
    ],
    suites: [
      {
        slug: 'service-calls',
        name: 'Service calls',
        description: 'Homeowners booking repairs; a gas smell must go to a human at once.',
        cases: 12,
        checks: ['caller_name', 'address', 'service', 'date', 'callback_number', 'handoff'],
        rubric: `${CONFIRM} Transfers any gas smell or carbon-monoxide alarm to the on-call technician.`,
      },
    ],
  },
  {
    slug: 'service-advisor',
    name: 'Service Advisor',
    vertical: 'automotive',
    business: 'Ridgeline Toyota Service',
    description: 'Books maintenance and recall appointments at a dealership service drive.',
    services: ['oil change', 'brake inspection', 'tire rotation', 'recall repair', '30k-mile service'],
    versions: [
      release(dealer, 'v3', 35, 'Recall lookup by VIN.'),
      release(dealer, 'v4', 2.45, 'Speech-to-text moved to Deepgram Nova-3 for fewer misheard VINs.', {
        stt: ['deepgram', 'nova-3'],
        wer: 0.045,
      }),
    ],
    suites: [
      {
        slug: 'service-appointments',
        name: 'Service appointments',
        description: 'Drivers booking maintenance or recall work.',
        cases: 10,
        checks: ['caller_name', 'service', 'date', 'time', 'callback_number'],
        rubric: `${CONFIRM} Mentions the loaner policy when the visit takes over two hours.`,
      },
    ],
  },
];
