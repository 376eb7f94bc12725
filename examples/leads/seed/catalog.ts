import type { Queryable } from 'switchboard-mcp/sql';
import {
  APPOINTMENT_TYPES,
  COMPETITORS,
  COUPONS,
  CUSTOM_FIELDS,
  DISPOSITIONS,
  FEATURES,
  HOME_SERVICE_TYPES,
  INSURANCE_CARRIERS,
  INTEGRATION_CATEGORY,
  LOST_REASONS,
  PARTNER_NAMES,
  PLAN_FEATURES,
  PLANS,
  SALON_CATEGORIES,
  SOURCES,
  STAGE_KINDS,
  type StageKind,
  TAGS,
  VEHICLE_MODELS,
  WIN_PROBABILITY,
} from './catalog-data.js';
import { CITIES, PhoneNumberFactory } from './geography.js';
import { insertRows } from './insert-rows.js';
import type { Random } from './random.js';
import { VERTICALS } from './verticals.js';

/** A sales team and its reps: SDRs qualify, account executives (and the manager) close. */
export interface Team {
  readonly id: number;
  readonly slug: string;
  readonly verticalId: number | null;
  readonly half: 'east' | 'west' | 'international';
  readonly sdrs: number[];
  readonly aes: number[];
}

/** A voice agent with its released versions and function tools. */
export interface Agent {
  readonly id: number;
  readonly verticalId: number | null;
  readonly versionIds: number[];
  readonly toolIds: number[];
}

/** The reference rows the lead generator draws from. */
export interface Catalog {
  readonly anchor: Date;
  readonly teams: Team[];
  readonly sources: { id: number; slug: string; channel: string; weight: number }[];
  readonly campaigns: { id: number; sourceId: number; verticalId: number; startsAt: number }[];
  readonly partners: { id: number; verticalId: number | null }[];
  /** Stage id by vertical id and kind. */
  readonly stages: Map<number, Record<StageKind, number>>;
  readonly plans: { id: number; slug: string; priceCents: number }[];
  readonly salesAgent: Agent;
  readonly agentsByVertical: Map<number, Agent[]>;
  readonly demoLineByVertical: Map<number, number>;
  readonly outboundNumberIds: number[];
  readonly smsNumberId: number;
  /** Highest id the catalog gave a row of voice.telephony_numbers. */
  readonly lastTelephonyNumberId: number;
  readonly dispositions: Map<string, number>;
  readonly lostReasonIds: number[];
  readonly tagIds: number[];
  readonly competitorIds: number[];
  readonly couponIds: number[];
  readonly customFields: { id: number; type: string; verticalId: number | null }[];
  readonly providersByVertical: Map<number, number[]>;
  readonly insurancePlanIds: number[];
  readonly appointmentTypeIds: number[];
  readonly salonCategoryIds: number[];
  readonly homeServiceTypes: { id: number; trade: string }[];
  readonly vehicleModelIds: number[];
  readonly phones: PhoneNumberFactory;
}

const DAY = 86_400_000;

/** Inserts the reference tables and returns what the generators need to know about them. */
export async function seedCatalog(db: Queryable, rng: Random, anchor: Date, leadCount: number): Promise<Catalog> {
  const phones = new PhoneNumberFactory();
  await insertRows(
    db,
    'crm.verticals',
    [
      ['id', 'smallint'],
      ['slug', 'text'],
      ['name', 'text'],
      ['description', 'text'],
    ],
    VERTICALS.map((v) => [v.id, v.slug, v.name, v.description]),
  );

  const teams: Team[] = [];
  for (const vertical of VERTICALS) {
    for (const half of ['east', 'west'] as const) {
      teams.push({
        id: teams.length + 1,
        slug: `${vertical.slug.replace('_', '-')}-${half}`,
        verticalId: vertical.id,
        half,
        sdrs: [],
        aes: [],
      });
    }
  }
  teams.push({
    id: teams.length + 1,
    slug: 'international',
    verticalId: null,
    half: 'international',
    sdrs: [],
    aes: [],
  });
  await insertRows(
    db,
    'crm.teams',
    [
      ['id', 'integer'],
      ['slug', 'text'],
      ['name', 'text'],
      ['vertical_id', 'smallint'],
      ['region', 'text'],
      ['created_at', 'timestamptz'],
    ],
    teams.map((t) => {
      const vertical = VERTICALS.find((v) => v.id === t.verticalId);
      const name = vertical === undefined ? 'International' : `${vertical.name} ${t.half === 'east' ? 'East' : 'West'}`;
      const region = t.half === 'east' ? 'us-east' : t.half === 'west' ? 'us-west' : 'uk';
      return [t.id, t.slug, name, t.verticalId, region, new Date(anchor.getTime() - 900 * DAY)];
    }),
  );

  // A rep handles a few hundred open leads; big seeds get bigger teams.
  const repsPerTeam = Math.min(16, Math.max(4, Math.round(leadCount / 4_000)));
  const owners: unknown[][] = [];
  const emails = new Set<string>();
  for (const team of teams) {
    for (let i = 0; i < repsPerTeam + 1; i++) {
      const id = owners.length + 1;
      const role =
        i === 0 ? 'sales_manager' : i % 5 === 4 ? 'solutions_engineer' : i % 2 === 1 ? 'sdr' : 'account_executive';
      if (role === 'sdr') team.sdrs.push(id);
      if (role === 'account_executive' || role === 'sales_manager') team.aes.push(id);
      const first = rng.firstName();
      const last = rng.lastName();
      let email = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
      while (emails.has(email)) email += String(rng.int(0, 9));
      emails.add(email);
      const tz =
        team.half === 'west' ? 'America/Los_Angeles' : team.half === 'east' ? 'America/New_York' : 'Europe/London';
      const hired = new Date(anchor.getTime() - rng.int(60, 1_400) * DAY);
      owners.push([
        id,
        team.id,
        `${first} ${last}`,
        `${email}@sales.example.com`,
        role,
        tz,
        rng.chance(0.94),
        hired.toISOString().slice(0, 10),
      ]);
    }
  }
  await insertRows(
    db,
    'crm.owners',
    [
      ['id', 'integer'],
      ['team_id', 'integer'],
      ['full_name', 'text'],
      ['email', 'text'],
      ['role', 'text'],
      ['timezone', 'text'],
      ['is_active', 'boolean'],
      ['hired_on', 'date'],
    ],
    owners,
  );
  const regionsByHalf = (half: string, country: string) => [
    ...new Set(CITIES.filter(([c]) => c.half === half && c.country === country).map(([c]) => c.region)),
  ];
  await insertRows(
    db,
    'crm.territories',
    [
      ['id', 'integer'],
      ['team_id', 'integer'],
      ['name', 'text'],
      ['country_code', 'char(2)'],
      ['region_codes', 'text[]'],
    ],
    teams.flatMap((t, i) => {
      const countries = t.half === 'international' ? ['GB'] : ['US', 'CA'];
      return countries.map((country, j) => [
        i * 2 + j + 1,
        t.id,
        `${t.slug} ${country}`,
        country,
        regionsByHalf(t.half, country),
      ]);
    }),
  );

  const sources = SOURCES.map(([slug, , channel, weight], i) => ({ id: i + 1, slug, channel, weight }));
  await insertRows(
    db,
    'crm.lead_sources',
    [
      ['id', 'smallint'],
      ['slug', 'text'],
      ['name', 'text'],
      ['channel', 'text'],
    ],
    SOURCES.map(([slug, name, channel], i) => [i + 1, slug, name, channel]),
  );

  const campaigns: Catalog['campaigns'] = [];
  const campaignSources = sources.filter((s) =>
    ['paid_search', 'paid_social', 'event', 'web_form'].includes(s.channel),
  );
  for (const vertical of VERTICALS) {
    for (let quarter = 0; quarter < 8; quarter++) {
      const source = campaignSources[(vertical.id + quarter) % campaignSources.length]!;
      campaigns.push({
        id: campaigns.length + 1,
        sourceId: source.id,
        verticalId: vertical.id,
        startsAt: anchor.getTime() - (8 - quarter) * 91 * DAY,
      });
    }
  }
  await insertRows(
    db,
    'crm.campaigns',
    [
      ['id', 'integer'],
      ['source_id', 'smallint'],
      ['vertical_id', 'smallint'],
      ['name', 'text'],
      ['utm_campaign', 'text'],
      ['started_on', 'date'],
      ['ended_on', 'date'],
      ['budget_cents', 'bigint'],
    ],
    campaigns.map((c) => {
      const vertical = VERTICALS[c.verticalId - 1]!;
      const start = new Date(c.startsAt);
      const quarter = `Q${Math.floor(start.getUTCMonth() / 3) + 1} ${start.getUTCFullYear()}`;
      const source = sources[c.sourceId - 1]!;
      const utm = `${vertical.slug}_${source.slug}_${start.getUTCFullYear()}q${Math.floor(start.getUTCMonth() / 3) + 1}`;
      const end = new Date(c.startsAt + 90 * DAY);
      return [
        c.id,
        c.sourceId,
        c.verticalId,
        `${vertical.name} ${quarter} ${source.slug.replace(/-/g, ' ')}`,
        utm,
        start.toISOString().slice(0, 10),
        end.getTime() < anchor.getTime() ? end.toISOString().slice(0, 10) : null,
        rng.int(20, 400) * 10_000,
      ];
    }),
  );

  await insertRows(
    db,
    'crm.partners',
    [
      ['id', 'integer'],
      ['name', 'text'],
      ['kind', 'text'],
      ['commission_rate', 'numeric'],
      ['vertical_id', 'smallint'],
    ],
    PARTNER_NAMES.map(([name, kind, vertical], i) => [i + 1, name, kind, (0.05 + (i % 4) * 0.05).toFixed(3), vertical]),
  );
  await insertRows(
    db,
    'crm.lost_reasons',
    [
      ['id', 'smallint'],
      ['slug', 'text'],
      ['label', 'text'],
    ],
    LOST_REASONS.map(([slug, label], i) => [i + 1, slug, label]),
  );
  await insertRows(
    db,
    'crm.tags',
    [
      ['id', 'integer'],
      ['name', 'text'],
      ['color', 'text'],
    ],
    TAGS.map(([name, color], i) => [i + 1, name, color]),
  );
  await insertRows(
    db,
    'crm.competitors',
    [
      ['id', 'integer'],
      ['name', 'text'],
      ['website', 'text'],
    ],
    COMPETITORS.map(([name, site], i) => [i + 1, name, site]),
  );

  const plans = PLANS.map(([slug, , price], i) => ({ id: i + 1, slug, priceCents: price }));
  await insertRows(
    db,
    'billing.plans',
    [
      ['id', 'smallint'],
      ['slug', 'text'],
      ['name', 'text'],
      ['monthly_price_cents', 'integer'],
      ['annual_price_cents', 'integer'],
      ['included_minutes', 'integer'],
      ['included_agents', 'smallint'],
      ['overage_cents_per_minute', 'smallint'],
      ['is_public', 'boolean'],
    ],
    PLANS.map(([slug, name, price, minutes, agents, overage], i) => [
      i + 1,
      slug,
      name,
      price,
      Math.round(price * 12 * 0.85),
      minutes,
      agents,
      overage,
      slug !== 'enterprise',
    ]),
  );
  await insertRows(
    db,
    'billing.features',
    [
      ['key', 'text'],
      ['name', 'text'],
      ['description', 'text'],
    ],
    FEATURES.map((f) => [...f]),
  );
  await insertRows(
    db,
    'billing.plan_features',
    [
      ['plan_id', 'smallint'],
      ['feature_key', 'text'],
      ['limit_value', 'integer'],
    ],
    plans.flatMap((p) => (PLAN_FEATURES[p.slug] ?? []).map(([key, limit]) => [p.id, key, limit])),
  );
  await insertRows(
    db,
    'billing.coupons',
    [
      ['id', 'integer'],
      ['code', 'text'],
      ['percent_off', 'smallint'],
      ['duration_months', 'smallint'],
      ['valid_until', 'date'],
    ],
    COUPONS.map(([code, pct, months], i) => [
      i + 1,
      code,
      pct,
      months,
      new Date(anchor.getTime() + (i + 1) * 60 * DAY).toISOString().slice(0, 10),
    ]),
  );

  const stages = new Map<number, Record<StageKind, number>>();
  await insertRows(
    db,
    'crm.pipelines',
    [
      ['id', 'integer'],
      ['vertical_id', 'smallint'],
      ['name', 'text'],
    ],
    VERTICALS.map((v) => [v.id, v.id, `${v.name} sales`]),
  );
  const stageRows: unknown[][] = [];
  for (const v of VERTICALS) {
    const ids = {} as Record<StageKind, number>;
    STAGE_KINDS.forEach((kind, i) => {
      ids[kind] = v.id * 10 + i + 1;
      stageRows.push([ids[kind], v.id, v.stageNames[i], kind, i + 1, WIN_PROBABILITY[kind].toFixed(2)]);
    });
    stages.set(v.id, ids);
  }
  await insertRows(
    db,
    'crm.pipeline_stages',
    [
      ['id', 'integer'],
      ['pipeline_id', 'integer'],
      ['name', 'text'],
      ['stage_kind', 'text'],
      ['position', 'smallint'],
      ['win_probability', 'numeric'],
    ],
    stageRows,
  );

  const voice = await seedVoiceCatalog(db, rng, anchor, phones);
  const providers = await seedVerticalReference(db);
  await insertRows(
    db,
    'crm.custom_field_definitions',
    [
      ['id', 'integer'],
      ['vertical_id', 'smallint'],
      ['key', 'text'],
      ['label', 'text'],
      ['value_type', 'text'],
    ],
    CUSTOM_FIELDS.map(([key, label, type, vertical], i) => [
      i + 1,
      VERTICALS.find((v) => v.slug === vertical)?.id ?? null,
      key,
      label,
      type,
    ]),
  );

  return {
    anchor,
    teams,
    sources,
    campaigns,
    partners: PARTNER_NAMES.map(([, , vertical], i) => ({ id: i + 1, verticalId: vertical })),
    stages,
    plans,
    ...voice,
    dispositions: new Map(DISPOSITIONS.map(([slug], i) => [slug, i + 1])),
    lostReasonIds: LOST_REASONS.map((_, i) => i + 1),
    tagIds: TAGS.map((_, i) => i + 1),
    competitorIds: COMPETITORS.map((_, i) => i + 1),
    couponIds: COUPONS.map((_, i) => i + 1),
    customFields: CUSTOM_FIELDS.map(([, , type, vertical], i) => ({
      id: i + 1,
      type,
      verticalId: VERTICALS.find((v) => v.slug === vertical)?.id ?? null,
    })),
    providersByVertical: providers,
    insurancePlanIds: INSURANCE_CARRIERS.flatMap((_, i) => [i * 3 + 1, i * 3 + 2, i * 3 + 3]),
    appointmentTypeIds: APPOINTMENT_TYPES.map((_, i) => i + 1),
    salonCategoryIds: SALON_CATEGORIES.map((_, i) => i + 1),
    homeServiceTypes: HOME_SERVICE_TYPES.map(([trade], i) => ({ id: i + 1, trade })),
    vehicleModelIds: VEHICLE_MODELS.map((_, i) => i + 1),
    phones,
  };
}

const PURPOSES = ['receptionist', 'scheduler', 'qualifier', 'after_hours', 'follow_up', 'scheduler'] as const;
const LLMS = ['gpt-4o-realtime-2025-06-03', 'gpt-realtime-2025-08-28', 'gpt-4o-mini-realtime-2024-12-17'];
const STT = ['deepgram-nova-3', 'gpt-4o-transcribe', 'whisper-large-v3-turbo'];
const VOICES = ['alloy', 'marin', 'cedar', 'sage', 'verse', 'shimmer'];

/** The 37 agents (six per vertical plus our own demo-line agent), their versions, tools and our phone numbers. */
async function seedVoiceCatalog(db: Queryable, rng: Random, anchor: Date, phones: PhoneNumberFactory) {
  const agents: unknown[][] = [];
  const versions: unknown[][] = [];
  const tools: unknown[][] = [];
  const agentsByVertical = new Map<number, Agent[]>();
  const add = (
    verticalId: number | null,
    slug: string,
    name: string,
    purpose: string,
    toolNames: readonly string[],
  ): Agent => {
    const id = agents.length + 1;
    const created = anchor.getTime() - rng.int(300, 800) * DAY;
    agents.push([id, verticalId, slug, name, purpose, 'en-US', rng.chance(0.9) ? 'live' : 'beta', new Date(created)]);
    const agent: Agent = { id, verticalId, versionIds: [], toolIds: [] };
    const count = rng.int(3, 6);
    for (let v = 0; v < count; v++) {
      const versionId = versions.length + 1;
      agent.versionIds.push(versionId);
      const hash = rng.faker.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' });
      const released = created + Math.round(((anchor.getTime() - created) * v) / count);
      versions.push([
        versionId,
        id,
        `${1 + Math.floor(v / 3)}.${v % 3}.0`,
        hash,
        rng.pick(LLMS),
        rng.pick(STT),
        rng.pick(VOICES),
        new Date(released),
      ]);
    }
    for (const toolName of toolNames) {
      const toolId = tools.length + 1;
      agent.toolIds.push(toolId);
      tools.push([toolId, id, toolName, `${toolName.replace(/_/g, ' ')} during the call`]);
    }
    return agent;
  };
  for (const v of VERTICALS) {
    const list: Agent[] = [];
    v.agentNames.forEach((name, i) => {
      const slug = `${v.slug.replace('_', '-')}-${name.toLowerCase().replace(/[^a-z]+/g, '-')}`;
      list.push(add(v.id, slug, name, PURPOSES[i]!, rng.sample(v.tools, rng.int(4, Math.min(7, v.tools.length)))));
    });
    agentsByVertical.set(v.id, list);
  }
  const salesAgent = add(null, 'demo-line', 'Demo line agent', 'sales_demo', [
    'lookup_lead',
    'qualify_lead',
    'check_rep_calendar',
    'book_demo',
    'send_pricing_sms',
    'transfer_to_rep',
  ]);
  await insertRows(
    db,
    'voice.voice_agents',
    [
      ['id', 'integer'],
      ['vertical_id', 'smallint'],
      ['slug', 'text'],
      ['name', 'text'],
      ['purpose', 'text'],
      ['language', 'text'],
      ['status', 'text'],
      ['created_at', 'timestamptz'],
    ],
    agents,
  );
  await insertRows(
    db,
    'voice.agent_versions',
    [
      ['id', 'integer'],
      ['agent_id', 'integer'],
      ['version', 'text'],
      ['prompt_sha256', 'char(64)'],
      ['llm_model', 'text'],
      ['stt_model', 'text'],
      ['tts_voice', 'text'],
      ['released_at', 'timestamptz'],
    ],
    versions,
  );
  await insertRows(
    db,
    'voice.agent_tools',
    [
      ['id', 'integer'],
      ['agent_id', 'integer'],
      ['name', 'text'],
      ['description', 'text'],
    ],
    tools,
  );

  const sf = CITIES.find(([c]) => c.name === 'San Francisco')![0];
  const numbers: unknown[][] = [];
  const demoLineByVertical = new Map<number, number>();
  const outboundNumberIds: number[] = [];
  const acquired = new Date(anchor.getTime() - 800 * DAY);
  for (const v of VERTICALS) {
    demoLineByVertical.set(v.id, numbers.length + 1);
    numbers.push([numbers.length + 1, phones.next(sf, '415'), 'twilio', salesAgent.id, 'demo_line', acquired]);
  }
  for (let i = 0; i < 8; i++) {
    outboundNumberIds.push(numbers.length + 1);
    numbers.push([
      numbers.length + 1,
      phones.next(sf, '628'),
      i % 2 === 0 ? 'twilio' : 'telnyx',
      null,
      'sales_outbound',
      acquired,
    ]);
  }
  const smsNumberId = numbers.length + 1;
  numbers.push([smsNumberId, phones.next(sf, '415'), 'bandwidth', salesAgent.id, 'sms', acquired]);
  await insertRows(
    db,
    'voice.telephony_numbers',
    [
      ['id', 'integer'],
      ['e164', 'text'],
      ['provider', 'text'],
      ['agent_id', 'integer'],
      ['purpose', 'text'],
      ['acquired_at', 'timestamptz'],
    ],
    numbers,
  );
  await insertRows(
    db,
    'voice.call_dispositions',
    [
      ['id', 'smallint'],
      ['slug', 'text'],
      ['label', 'text'],
      ['is_connected', 'boolean'],
    ],
    DISPOSITIONS.map(([slug, label, connected], i) => [i + 1, slug, label, connected]),
  );
  return {
    salesAgent,
    agentsByVertical,
    demoLineByVertical,
    outboundNumberIds,
    smsNumberId,
    lastTelephonyNumberId: numbers.length,
  };
}

/** Reference tables of the vertical schemas; returns the integration providers of each vertical. */
async function seedVerticalReference(db: Queryable): Promise<Map<number, number[]>> {
  const providers: unknown[][] = [];
  const byVertical = new Map<number, number[]>();
  for (const v of VERTICALS) {
    const ids: number[] = [];
    for (const system of v.systems) {
      ids.push(providers.length + 1);
      providers.push([
        providers.length + 1,
        system.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        system,
        INTEGRATION_CATEGORY[v.slug],
        v.id,
      ]);
    }
    byVertical.set(v.id, ids);
  }
  for (const [slug, name, category] of [
    ['google-calendar', 'Google Calendar', 'calendar'],
    ['outlook-calendar', 'Microsoft Outlook Calendar', 'calendar'],
    ['hubspot', 'HubSpot', 'crm'],
    ['salesforce', 'Salesforce', 'crm'],
  ] as const) {
    providers.push([providers.length + 1, slug, name, category, null]);
  }
  const shared = [providers.length - 3, providers.length - 2, providers.length - 1, providers.length];
  for (const ids of byVertical.values()) ids.push(...shared);
  await insertRows(
    db,
    'billing.integration_providers',
    [
      ['id', 'smallint'],
      ['slug', 'text'],
      ['name', 'text'],
      ['category', 'text'],
      ['vertical_id', 'smallint'],
    ],
    providers,
  );

  await insertRows(
    db,
    'healthcare.insurance_carriers',
    [
      ['id', 'integer'],
      ['name', 'text'],
      ['payer_id', 'text'],
    ],
    INSURANCE_CARRIERS.map(([name, payer], i) => [i + 1, name, payer]),
  );
  const planTypes = (carrier: string) =>
    carrier.includes('Dental')
      ? ['Dental PPO', 'Dental HMO', 'Dental PPO']
      : carrier === 'Medicare' || carrier === 'Medicaid'
        ? [carrier, carrier, carrier]
        : ['PPO', 'HMO', 'EPO'];
  await insertRows(
    db,
    'healthcare.insurance_plans',
    [
      ['id', 'integer'],
      ['carrier_id', 'integer'],
      ['name', 'text'],
      ['plan_type', 'text'],
    ],
    INSURANCE_CARRIERS.flatMap(([carrier], i) =>
      planTypes(carrier).map((type, j) => [
        i * 3 + j + 1,
        i + 1,
        `${carrier} ${['Choice', 'Select', 'Advantage'][j]} ${type}`,
        type,
      ]),
    ),
  );
  await insertRows(
    db,
    'healthcare.appointment_types',
    [
      ['id', 'integer'],
      ['name', 'text'],
      ['duration_minutes', 'smallint'],
      ['is_new_patient', 'boolean'],
    ],
    APPOINTMENT_TYPES.map(([n, d, np], i) => [i + 1, n, d, np]),
  );
  await insertRows(
    db,
    'salon.service_categories',
    [
      ['id', 'integer'],
      ['name', 'text'],
    ],
    SALON_CATEGORIES.map((n, i) => [i + 1, n]),
  );
  await insertRows(
    db,
    'home_services.service_types',
    [
      ['id', 'integer'],
      ['trade', 'text'],
      ['name', 'text'],
      ['typical_duration_minutes', 'smallint'],
      ['is_emergency', 'boolean'],
    ],
    HOME_SERVICE_TYPES.map(([t, n, d, e], i) => [i + 1, t, n, d, e]),
  );
  await insertRows(
    db,
    'automotive.vehicle_models',
    [
      ['id', 'integer'],
      ['make', 'text'],
      ['model', 'text'],
      ['body_style', 'text'],
    ],
    VEHICLE_MODELS.map(([make, model, body], i) => [i + 1, make, model, body]),
  );
  return byVertical;
}
