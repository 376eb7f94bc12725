import type { Team } from './catalog.js';
import type { StageKind } from './catalog-data.js';
import { type Company, createCompany, createPhoneNumber } from './companies.js';
import { DAY, HOUR, iso, type SeedContext } from './context.js';
import { CITIES, type City } from './geography.js';
import { reached, type StageVisit, simulateJourney } from './lead-journey.js';
import { VERTICALS, type Vertical } from './verticals.js';

/** What the engagement and account generators need to know about a lead they add rows for. */
export interface LeadFacts {
  readonly id: number;
  readonly vertical: Vertical;
  readonly city: City;
  readonly team: Team;
  readonly company: Company;
  readonly firstName: string;
  readonly lastName: string;
  readonly sdrId: number;
  readonly aeId: number;
  readonly visits: readonly StageVisit[];
  readonly sourceChannel: string;
  readonly planId: number | null;
  readonly mrrCents: number;
  readonly monthlyCalls: number;
  readonly phoneId: number;
  readonly emailId: number | undefined;
  readonly row: Record<string, unknown>;
}

const PLAN_MIX = [
  [1, 34],
  [2, 40],
  [3, 19],
  [4, 7],
] as const;
const CONTACT_ROLES = [
  ['office_manager', 'Office Manager'],
  ['front_desk', 'Front Desk'],
  ['billing', 'Billing Coordinator'],
  ['it', 'IT Administrator'],
  ['champion', 'Operations Lead'],
] as const;

/** Generates lead `id`: its company (new, or a sibling location of the previous one), person, numbers, emails and stage history. */
export function generateLead(ctx: SeedContext, id: number, previous: Company | undefined): LeadFacts {
  const { rng, ids, rows, catalog, anchorMs } = ctx;
  // Leads 2 and 3 are the same group practice as lead 1, so every seed has a number shared by three leads.
  const forcedSibling = id <= 3 && previous !== undefined;
  const joins =
    previous !== undefined &&
    previous.mainLineId !== undefined &&
    previous.leads < previous.locations &&
    (forcedSibling || rng.chance(0.35));
  const vertical = joins
    ? VERTICALS[previous.verticalId - 1]!
    : rng.weighted(VERTICALS.map((v) => [v, v.weight] as const));
  const city = joins ? previous.city : rng.weighted(CITIES);
  const createdAt = anchorMs - Math.round(730 * (1 - Math.sqrt(rng.next())) * DAY) - rng.int(0, 23) * HOUR;
  const company = joins ? previous : createCompany(ctx, vertical, city, createdAt - rng.int(0, 3000) * DAY, id === 1);
  company.leads++;

  const team = catalog.teams.find((t) =>
    city.half === 'international' ? t.verticalId === null : t.verticalId === vertical.id && t.half === city.half,
  )!;
  const source = rng.weighted(catalog.sources.map((s) => [s, s.weight] as const));
  const campaign = ['paid_search', 'paid_social', 'event', 'web_form'].includes(source.channel)
    ? catalog.campaigns.find(
        (c) =>
          c.verticalId === vertical.id &&
          c.sourceId === source.id &&
          c.startsAt <= createdAt &&
          createdAt < c.startsAt + 91 * DAY,
      )
    : undefined;
  const partner =
    source.channel === 'partner'
      ? rng.pick(catalog.partners.filter((p) => p.verticalId === null || p.verticalId === vertical.id))
      : undefined;
  const visits = simulateJourney(ctx, vertical.id, createdAt, source.channel);
  const current = visits[visits.length - 1]!;
  const sdrId = rng.pick(team.sdrs);
  const aeId = rng.pick(team.aes);
  const reachedDemo = reached(visits, 'demo') !== undefined;
  const unassigned = current.kind === 'new' && rng.chance(0.08);
  const ownerId = unassigned ? null : reachedDemo ? aeId : sdrId;
  const monthlyCalls = Math.round(
    rng.int(vertical.monthlyCalls[0], vertical.monthlyCalls[1]) * company.locations ** 0.8,
  );
  const planId = reached(visits, 'qualified') ? rng.weighted(PLAN_MIX) : null;
  const planPrice = catalog.plans.find((p) => p.id === planId)?.priceCents ?? 39_900;
  const mrrCents = Math.round((planPrice * (0.85 + rng.next() * 0.4) * company.locations ** 0.7) / 100) * 100;
  const firstName = rng.firstName();
  const lastName = rng.lastName();
  const stages = catalog.stages.get(vertical.id)!;
  const closed = current.kind === 'won' || current.kind === 'lost';

  const row: Record<string, unknown> = {
    id,
    vertical_id: vertical.id,
    company_id: company.id,
    first_name: firstName,
    last_name: lastName,
    job_title: rng.pick(vertical.jobTitles),
    pipeline_id: vertical.id,
    stage_id: stages[current.kind],
    stage_entered_at: iso(current.enteredAt),
    owner_id: ownerId,
    team_id: team.id,
    source_id: source.id,
    campaign_id: campaign?.id ?? null,
    partner_id: partner?.id ?? null,
    plan_id: planId,
    estimated_mrr_cents: mrrCents,
    expected_monthly_calls: monthlyCalls,
    score: Math.min(
      100,
      Math.max(1, Math.round(visits.length * 11 + rng.int(-8, 25) + (current.kind === 'lost' ? -25 : 0))),
    ),
    lost_reason_id: current.kind === 'lost' ? rng.pick(catalog.lostReasonIds) : null,
    timezone: city.timezone,
    created_at: iso(createdAt),
    updated_at: iso(current.enteredAt),
    last_activity_at: null,
    closed_at: closed ? iso(current.enteredAt) : null,
  };
  rows.add('crm.leads', row);

  for (const visit of visits) {
    const owner = visit.kind === 'new' && unassigned ? null : isAeStage(visit.kind, reachedDemo) ? aeId : sdrId;
    rows.add('crm.lead_stage_history', {
      id: ids.next('crm.lead_stage_history'),
      lead_id: id,
      pipeline_id: vertical.id,
      stage_id: stages[visit.kind],
      team_id: team.id,
      owner_id: owner,
      estimated_mrr_cents: mrrCents,
      entered_at: iso(visit.enteredAt),
      exited_at: visit.exitedAt === undefined ? null : iso(visit.exitedAt),
      next_stage_id: visit.next === undefined ? null : stages[visit.next],
      changed_by_owner_id: visit.kind === 'new' ? null : owner,
    });
  }
  if (!unassigned) {
    rows.add('crm.lead_owner_history', {
      id: ids.next('crm.lead_owner_history'),
      lead_id: id,
      from_owner_id: null,
      to_owner_id: sdrId,
      reason: 'routing',
      changed_at: iso(createdAt + HOUR),
    });
  }
  const demo = reached(visits, 'demo');
  if (demo !== undefined) {
    rows.add('crm.lead_owner_history', {
      id: ids.next('crm.lead_owner_history'),
      lead_id: id,
      from_owner_id: sdrId,
      to_owner_id: aeId,
      reason: 'handoff_to_ae',
      changed_at: iso(demo.enteredAt),
    });
  }

  // The lead's own number, the company's shared main line, and the office people who answer it.
  const lineType = rng.weighted([
    ['mobile', 6],
    ['landline', 2],
    ['voip', 2],
  ] as const);
  const phoneId = createPhoneNumber(ctx, city, lineType, createdAt);
  rows.add('crm.lead_phone_numbers', {
    lead_id: id,
    phone_number_id: phoneId,
    contact_id: null,
    label: lineType === 'mobile' ? 'mobile' : 'direct',
    is_primary: true,
    added_at: iso(createdAt),
  });
  const contactCount = rng.weighted([
    [0, 5],
    [1, 4],
    [2, 1],
  ] as const);
  let frontDesk: number | null = null;
  for (const [role, title] of rng.sample(CONTACT_ROLES, contactCount)) {
    const contactId = ids.next('crm.contacts');
    if (role === 'front_desk' || role === 'office_manager') frontDesk ??= contactId;
    const first = rng.firstName();
    const last = rng.lastName();
    rows.add('crm.contacts', {
      id: contactId,
      lead_id: id,
      first_name: first,
      last_name: last,
      job_title: title,
      role,
      is_primary: false,
      created_at: iso(createdAt + rng.int(1, 20) * DAY),
    });
    if (rng.chance(0.6)) {
      const local =
        role === 'front_desk'
          ? 'frontdesk'
          : role === 'billing'
            ? 'billing'
            : first.toLowerCase().replace(/[^a-z]/g, '');
      rows.add('crm.email_addresses', {
        id: ids.next('crm.email_addresses'),
        lead_id: id,
        contact_id: contactId,
        address: `${local}@${company.domain}`,
        is_primary: false,
        verified_at: null,
        bounced_at: null,
      });
    }
  }
  if (company.mainLineId !== undefined) {
    rows.add('crm.lead_phone_numbers', {
      lead_id: id,
      phone_number_id: company.mainLineId,
      contact_id: frontDesk,
      label: frontDesk === null ? 'main_line' : 'front_desk',
      is_primary: false,
      added_at: iso(createdAt),
    });
    if (company.leads > 1) {
      rows.add('crm.lead_duplicates', {
        lead_id: id,
        duplicate_of_lead_id: id - 1,
        matched_on: 'phone',
        confidence: '0.55',
        detected_at: iso(createdAt + DAY),
      });
    }
  }
  if (rng.chance(0.04)) {
    const extra = createPhoneNumber(ctx, city, 'voip', createdAt);
    rows.add('crm.lead_phone_numbers', {
      lead_id: id,
      phone_number_id: extra,
      contact_id: null,
      label: rng.pick(['after_hours', 'fax'] as const),
      is_primary: false,
      added_at: iso(createdAt + rng.int(1, 60) * DAY),
    });
  }
  let emailId: number | undefined;
  if (rng.chance(0.92)) {
    emailId = ids.next('crm.email_addresses');
    const personal = rng.chance(0.18);
    const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
    const address = personal
      ? `${local.replace('.', '')}${rng.int(1, 99)}@${rng.pick(['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'])}`
      : `${local}@${company.domain}`;
    const verified = rng.chance(0.7) ? iso(createdAt + rng.int(1, 48) * HOUR) : null;
    rows.add('crm.email_addresses', {
      id: emailId,
      lead_id: id,
      contact_id: null,
      address,
      is_primary: true,
      verified_at: verified,
      bounced_at: verified === null && rng.chance(0.1) ? iso(createdAt + DAY) : null,
    });
  }
  addLeadExtras(ctx, id, vertical, createdAt, source.channel, partner?.id, company, planId !== null);
  return {
    id,
    vertical,
    city,
    team,
    company,
    firstName,
    lastName,
    sdrId,
    aeId,
    visits,
    sourceChannel: source.channel,
    planId,
    mrrCents,
    monthlyCalls,
    phoneId,
    emailId,
    row,
  };
}

function isAeStage(kind: StageKind, reachedDemo: boolean): boolean {
  return (
    kind === 'demo' || kind === 'trial' || kind === 'negotiation' || kind === 'won' || (kind === 'lost' && reachedDemo)
  );
}

/** Tags, scores, competitors, custom fields, the form that created the lead, and referrals. */
function addLeadExtras(
  ctx: SeedContext,
  id: number,
  vertical: Vertical,
  createdAt: number,
  channel: string,
  partnerId: number | undefined,
  company: Company,
  qualified: boolean,
): void {
  const { rng, rows, ids, catalog } = ctx;
  for (const tagId of rng.sample(
    catalog.tagIds,
    rng.weighted([
      [0, 5],
      [1, 3],
      [2, 2],
    ] as const),
  )) {
    rows.add('crm.lead_tags', { lead_id: id, tag_id: tagId, tagged_at: iso(createdAt + rng.int(1, 30) * DAY) });
  }
  const scoreRuns = qualified ? 2 : 1;
  for (let run = 0; run < scoreRuns; run++) {
    rows.add('crm.lead_scores', {
      id: ids.next('crm.lead_scores'),
      lead_id: id,
      model_version: run === scoreRuns - 1 ? 'fit-intent-v3' : 'fit-intent-v2',
      score: rng.int(10, 95),
      factors: {
        call_volume: rng.int(1, 10),
        locations: company.locations,
        engagement: rng.int(0, 10),
        vertical: vertical.slug,
      },
      scored_at: iso(createdAt + (run * 20 + 1) * DAY),
    });
  }
  if (qualified && rng.chance(0.35)) {
    rows.add('crm.lead_competitors', {
      lead_id: id,
      competitor_id: rng.pick(catalog.competitorIds),
      status: rng.pick(['incumbent', 'evaluating', 'chose_competitor'] as const),
      noted_at: iso(createdAt + rng.int(2, 20) * DAY),
    });
  }
  if (rng.chance(0.3)) {
    const field = rng.pick(catalog.customFields.filter((f) => f.verticalId === null || f.verticalId === vertical.id));
    const value =
      field.type === 'number'
        ? String(rng.int(2, 40) * 100)
        : field.type === 'boolean'
          ? String(rng.chance(0.4))
          : field.type === 'date'
            ? new Date(createdAt + rng.int(20, 120) * DAY).toISOString().slice(0, 10)
            : rng.pick(['Heartland Dental', 'Aspen', 'Pacific Dental', 'Summer', 'Winter', 'Independent']);
    rows.add('crm.custom_field_values', { lead_id: id, field_id: field.id, value });
  }
  if (channel === 'web_form' || channel === 'paid_search' || channel === 'paid_social') {
    rows.add('crm.form_submissions', {
      id: ids.next('crm.form_submissions'),
      lead_id: id,
      campaign_id: null,
      page_url: rng.pick([
        'https://www.example.com/demo',
        'https://www.example.com/pricing',
        `https://www.example.com/industries/${vertical.slug.replace('_', '-')}`,
        'https://www.example.com/roi-calculator',
      ]),
      utm_source: channel === 'paid_search' ? 'google' : channel === 'paid_social' ? 'facebook' : null,
      utm_medium: channel === 'web_form' ? null : 'cpc',
      utm_campaign: channel === 'web_form' ? null : `${vertical.slug}_always_on`,
      payload: { company: company.name, locations: company.locations, message: rng.pick(vertical.painPoints) },
      submitted_at: iso(createdAt),
    });
  }
  if (channel === 'partner' || channel === 'referral') {
    rows.add('crm.referrals', {
      id: ids.next('crm.referrals'),
      lead_id: id,
      partner_id: partnerId ?? null,
      referring_company_id: partnerId === undefined ? Math.max(1, company.id - rng.int(1, 50)) : null,
      referred_at: iso(createdAt),
      reward_cents: partnerId === undefined ? 10_000 : 0,
    });
  }
}
