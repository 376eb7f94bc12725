import { between, DAY, dateOnly, HOUR, iso, type SeedContext } from './context.js';
import { reached } from './lead-journey.js';
import type { LeadFacts } from './leads.js';

const ONBOARDING = [
  'number_forwarding',
  'business_hours',
  'knowledge_base',
  'calendar_connected',
  'test_call',
  'go_live',
] as const;
const CANCEL_REASONS = [
  'price',
  'missing_integration',
  'call_quality',
  'business_closed',
  'switched_vendor',
  'other',
] as const;

/** The billing side of a lead: quotes in negotiation, a trial and an account from the trial on, a subscription once won. Returns the account id. */
export function generateAccount(ctx: SeedContext, lead: LeadFacts): number | undefined {
  const { rng, ids, rows, catalog, anchorMs } = ctx;
  const negotiation = reached(lead.visits, 'negotiation');
  if (negotiation !== undefined && lead.planId !== null) {
    const quoteId = ids.next('billing.quotes');
    const sentAt = between(ctx, negotiation.enteredAt, negotiation.exitedAt ?? anchorMs);
    const won = reached(lead.visits, 'won');
    rows.add('billing.quotes', {
      id: quoteId,
      lead_id: lead.id,
      plan_id: lead.planId,
      owner_id: lead.aeId,
      total_monthly_cents: lead.mrrCents,
      sent_at: iso(sentAt),
      expires_at: iso(sentAt + 30 * DAY),
      accepted_at: won === undefined ? null : iso(won.enteredAt),
    });
    rows.add('billing.quote_lines', {
      id: ids.next('billing.quote_lines'),
      quote_id: quoteId,
      description: `${catalog.plans[lead.planId - 1]!.slug} plan, ${lead.company.locations} location(s)`,
      monthly_cents: lead.mrrCents,
      coupon_id: rng.chance(0.25) ? rng.pick(catalog.couponIds) : null,
    });
  }
  const trial = reached(lead.visits, 'trial');
  if (trial === undefined) return undefined;
  const planId = lead.planId ?? 2;
  const won = reached(lead.visits, 'won');
  const lost = lead.visits[lead.visits.length - 1]!.kind === 'lost';
  const accountId = ids.next('billing.accounts');
  const churned = won !== undefined && rng.chance(0.08);
  const status =
    won === undefined
      ? lost
        ? 'cancelled'
        : 'trialing'
      : churned
        ? 'cancelled'
        : rng.chance(0.05)
          ? 'past_due'
          : 'active';
  rows.add('billing.accounts', {
    id: accountId,
    lead_id: lead.id,
    company_id: lead.company.id,
    vertical_id: lead.vertical.id,
    name: lead.company.name,
    status,
    billing_email: `billing@${lead.company.domain}`,
    timezone: lead.city.timezone,
    created_at: iso(trial.enteredAt),
  });
  const trialEnds = trial.enteredAt + 14 * DAY;
  const trialStatus =
    won !== undefined || reached(lead.visits, 'negotiation')
      ? 'converted'
      : lost
        ? rng.chance(0.7)
          ? 'expired'
          : 'cancelled'
        : 'active';
  rows.add('billing.trials', {
    id: ids.next('billing.trials'),
    lead_id: lead.id,
    account_id: accountId,
    plan_id: planId,
    started_at: iso(trial.enteredAt),
    ends_at: iso(trialEnds),
    minutes_used: rng.int(30, 900),
    calls_handled: rng.int(20, 500),
    status: trialStatus,
    converted_at: trialStatus === 'converted' ? iso(trial.exitedAt ?? trialEnds) : null,
  });
  rows.add('billing.account_users', {
    id: ids.next('billing.account_users'),
    account_id: accountId,
    full_name: `${lead.firstName} ${lead.lastName}`,
    email: `${lead.firstName}.${lead.lastName}@${lead.company.domain}`.toLowerCase().replace(/[^a-z.@]/g, ''),
    role: 'owner',
    last_login_at: iso(between(ctx, trial.enteredAt, anchorMs)),
  });
  if (rng.chance(0.5)) {
    rows.add('billing.account_users', {
      id: ids.next('billing.account_users'),
      account_id: accountId,
      full_name: rng.fullName(),
      email: `frontdesk@${lead.company.domain}`,
      role: 'staff',
      last_login_at: null,
    });
  }
  const stepsDone = won !== undefined ? ONBOARDING.length : rng.int(1, ONBOARDING.length - 1);
  ONBOARDING.forEach((step, i) => {
    rows.add('billing.onboarding_steps', {
      account_id: accountId,
      step,
      completed_at: i < stepsDone ? iso(trial.enteredAt + (i + 1) * 6 * HOUR) : null,
    });
  });
  for (const providerId of rng.sample(catalog.providersByVertical.get(lead.vertical.id) ?? [], rng.int(1, 2))) {
    rows.add('billing.integrations', {
      id: ids.next('billing.integrations'),
      account_id: accountId,
      provider_id: providerId,
      status: rng.weighted([
        ['connected', 8],
        ['error', 1],
        ['disconnected', 1],
      ] as const),
      connected_at: iso(trial.enteredAt + DAY),
      last_sync_at: iso(anchorMs - rng.int(1, 72) * HOUR),
    });
  }
  if (won !== undefined) addSubscription(ctx, lead, accountId, planId, won.enteredAt, churned);
  if (accountId <= ctx.detailedAccounts) addLocations(ctx, lead, accountId, trial.enteredAt);
  return accountId;
}

function addSubscription(
  ctx: SeedContext,
  lead: LeadFacts,
  accountId: number,
  planId: number,
  startedAt: number,
  churned: boolean,
): void {
  const { rng, ids, rows, catalog, anchorMs } = ctx;
  const subscriptionId = ids.next('billing.subscriptions');
  const interval = rng.chance(0.8) ? 'month' : 'year';
  const cancelledAt = churned ? Math.min(anchorMs - DAY, startedAt + rng.int(40, 300) * DAY) : null;
  const months = Math.max(1, Math.floor(((cancelledAt ?? anchorMs) - startedAt) / (30 * DAY)));
  rows.add('billing.subscriptions', {
    id: subscriptionId,
    account_id: accountId,
    plan_id: planId,
    status: churned ? 'cancelled' : 'active',
    billing_interval: interval,
    mrr_cents: lead.mrrCents,
    started_at: iso(startedAt),
    current_period_end: iso(startedAt + months * 30 * DAY + (interval === 'month' ? 30 : 365) * DAY),
    cancelled_at: cancelledAt === null ? null : iso(cancelledAt),
  });
  if (rng.chance(0.2)) {
    rows.add('billing.subscription_items', {
      id: ids.next('billing.subscription_items'),
      subscription_id: subscriptionId,
      feature_key: rng.pick(['extra_locations', 'bilingual', 'sms_follow_up'] as const),
      quantity: rng.int(1, 3),
      unit_price_cents: 4_900,
    });
  }
  if (rng.chance(0.15))
    rows.add('billing.subscription_discounts', {
      subscription_id: subscriptionId,
      coupon_id: rng.pick(catalog.couponIds),
      applied_at: iso(startedAt),
    });
  if (churned && cancelledAt !== null) {
    rows.add('billing.cancellations', {
      id: ids.next('billing.cancellations'),
      subscription_id: subscriptionId,
      reason: rng.pick(CANCEL_REASONS),
      feedback: rng.chance(0.5)
        ? rng.pick([
            'Too expensive for our volume.',
            'Needed the Dentrix write-back.',
            'Callers could tell it was AI.',
            'We sold the business.',
          ])
        : null,
      cancelled_at: iso(cancelledAt),
    });
  }
  const methodId = ids.next('billing.payment_methods');
  rows.add('billing.payment_methods', {
    id: methodId,
    account_id: accountId,
    kind: rng.chance(0.85) ? 'card' : 'ach',
    brand: rng.pick(['visa', 'mastercard', 'amex']),
    last4: rng.digits(4),
    expires_on: dateOnly(anchorMs + rng.int(30, 1_200) * DAY),
    is_default: true,
  });
  // Only the most recent invoices: enough to show billing health without a row per month since signing.
  const invoiceMonths = interval === 'year' ? 1 : Math.min(months, 6);
  for (let m = invoiceMonths - 1; m >= 0; m--) {
    const issuedAt = (cancelledAt ?? anchorMs) - m * 30 * DAY - rng.int(1, 25) * DAY;
    if (issuedAt < startedAt) continue;
    const invoiceId = ids.next('billing.invoices');
    const overage = rng.chance(0.25) ? rng.int(20, 400) * 25 : 0;
    const base = interval === 'year' ? lead.mrrCents * 12 : lead.mrrCents;
    const failed = rng.chance(0.04);
    const status = failed ? (m === 0 ? 'open' : 'uncollectible') : 'paid';
    rows.add('billing.invoices', {
      id: invoiceId,
      account_id: accountId,
      subscription_id: subscriptionId,
      number: `INV-${String(invoiceId).padStart(7, '0')}`,
      status,
      currency: 'USD',
      total_cents: base + overage,
      issued_at: iso(issuedAt),
      due_at: iso(issuedAt + 14 * DAY),
      paid_at: failed ? null : iso(issuedAt + rng.int(0, 5) * DAY),
    });
    rows.add('billing.invoice_lines', {
      id: ids.next('billing.invoice_lines'),
      invoice_id: invoiceId,
      description: `${catalog.plans[planId - 1]!.slug} plan`,
      quantity: 1,
      unit_cents: base,
      amount_cents: base,
    });
    if (overage > 0)
      rows.add('billing.invoice_lines', {
        id: ids.next('billing.invoice_lines'),
        invoice_id: invoiceId,
        description: 'Overage minutes',
        quantity: overage / 25,
        unit_cents: 25,
        amount_cents: overage,
      });
    rows.add('billing.payments', {
      id: ids.next('billing.payments'),
      invoice_id: invoiceId,
      payment_method_id: methodId,
      amount_cents: base + overage,
      attempted_at: iso(issuedAt + HOUR),
      succeeded: !failed,
      failure_code: failed ? rng.pick(['card_declined', 'insufficient_funds', 'expired_card']) : null,
    });
  }
  if (accountId <= ctx.detailedAccounts) {
    for (let d = 1; d <= 14; d++) {
      const date = (cancelledAt ?? anchorMs) - d * DAY;
      if (date < startedAt) break;
      rows.add('billing.usage_records', {
        account_id: accountId,
        usage_date: dateOnly(date),
        call_minutes: rng.int(10, 400),
        calls: rng.int(5, 160),
        sms_segments: rng.int(0, 120),
      });
    }
  }
}

/** The locations the account's agents answer for, each forwarding to a number of ours. */
function addLocations(ctx: SeedContext, lead: LeadFacts, accountId: number, since: number): void {
  const { rng, ids, rows, catalog } = ctx;
  lead.company.addressIds.forEach((addressId, i) => {
    const numberId = ids.next('voice.telephony_numbers');
    rows.add('voice.telephony_numbers', {
      id: numberId,
      e164: catalog.phones.next(lead.city, rng.pick(lead.city.areaCodes)),
      provider: 'twilio',
      agent_id: rng.pick(catalog.agentsByVertical.get(lead.vertical.id)!).id,
      purpose: 'customer_forwarding',
      acquired_at: iso(since),
    });
    rows.add('billing.account_locations', {
      id: ids.next('billing.account_locations'),
      account_id: accountId,
      address_id: addressId,
      name: i === 0 ? 'Main' : `Location ${i + 1}`,
      forwarding_number_id: numberId,
      business_hours: {
        mon_fri: rng.pick(['08:00-17:00', '09:00-18:00', '07:00-19:00']),
        sat: rng.chance(0.5) ? '09:00-13:00' : null,
        sun: null,
      },
    });
  });
}
