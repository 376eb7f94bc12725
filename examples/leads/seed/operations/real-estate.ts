import { between, DAY, dateOnly, HOUR, iso } from '../context.js';
import { bookedBy, customerPhone, type OperationsContext, statusAt } from './shared.js';

const TYPES = [
  ['single_family', 6],
  ['condo', 3],
  ['townhouse', 2],
  ['multi_family', 1],
] as const;

/** A brokerage with realtors, listings and their price history, buyers, showings, offers and closings. */
export function realEstateOperations(ctx: OperationsContext): void {
  const { rng, ids, rows, lead, since, anchorMs } = ctx;
  const brokerageId = ids.next('real_estate.brokerages');
  rows.add('real_estate.brokerages', {
    id: brokerageId,
    account_id: ctx.accountId,
    name: lead.company.name,
    license_number: `BRK${rng.digits(7)}`,
    mls_name: rng.pick(lead.vertical.systems),
  });
  const realtors: number[] = [];
  for (let i = 0; i < rng.int(3, 8); i++) {
    const id = ids.next('real_estate.realtors');
    realtors.push(id);
    rows.add('real_estate.realtors', {
      id,
      brokerage_id: brokerageId,
      full_name: rng.fullName(),
      license_number: rng.digits(8),
      phone_e164: customerPhone(ctx),
      is_listing_agent: rng.chance(0.7),
    });
  }
  const listings: { id: number; price: number }[] = [];
  for (let i = 0; i < rng.int(8, 15); i++) {
    const propertyId = ids.next('real_estate.properties');
    const type = rng.weighted(TYPES);
    const bedrooms = type === 'condo' ? rng.int(0, 3) : rng.int(2, 6);
    rows.add('real_estate.properties', {
      id: propertyId,
      street: rng.streetAddress(),
      city: lead.city.name,
      region_code: lead.city.region,
      postal_code: `${lead.city.postal}${rng.digits(2)}`,
      property_type: type,
      bedrooms,
      bathrooms: (Math.max(1, bedrooms - rng.int(0, 1)) + (rng.chance(0.5) ? 0.5 : 0)).toFixed(1),
      living_area_sqft: 500 + bedrooms * rng.int(300, 600),
      year_built: rng.int(1920, 2025),
    });
    const listingId = ids.next('real_estate.listings');
    const price = rng.int(18, 160) * 2_500_000;
    const listedAt = between(ctx, since - 60 * DAY, anchorMs);
    listings.push({ id: listingId, price });
    rows.add('real_estate.listings', {
      id: listingId,
      brokerage_id: brokerageId,
      property_id: propertyId,
      listing_realtor_id: rng.pick(realtors),
      mls_number: `ML${rng.digits(8)}`,
      list_price_cents: price,
      status: rng.weighted([
        ['active', 5],
        ['pending', 2],
        ['sold', 2],
        ['coming_soon', 1],
        ['withdrawn', 1],
      ] as const),
      listed_on: dateOnly(listedAt),
    });
    if (rng.chance(0.3))
      rows.add('real_estate.listing_price_changes', {
        id: ids.next('real_estate.listing_price_changes'),
        listing_id: listingId,
        old_price_cents: price + 1_000_000,
        new_price_cents: price,
        changed_on: dateOnly(listedAt + rng.int(10, 40) * DAY),
      });
    if (rng.chance(0.2)) {
      const startsAt = Math.floor(between(ctx, listedAt, anchorMs + 14 * DAY) / HOUR) * HOUR;
      rows.add('real_estate.open_houses', {
        id: ids.next('real_estate.open_houses'),
        listing_id: listingId,
        starts_at: iso(startsAt),
        ends_at: iso(startsAt + 2 * HOUR),
        rsvp_count: rng.int(0, 25),
      });
    }
  }
  for (let b = 0; b < rng.int(10, 20); b++) {
    const buyerId = ids.next('real_estate.buyer_profiles');
    const budget = rng.int(20, 150) * 2_500_000;
    rows.add('real_estate.buyer_profiles', {
      id: buyerId,
      brokerage_id: brokerageId,
      full_name: rng.fullName(),
      phone_e164: customerPhone(ctx),
      min_price_cents: Math.round(budget * 0.7),
      max_price_cents: budget,
      min_bedrooms: rng.int(1, 4),
      preapproved: rng.chance(0.5),
      timeline: rng.pick(['now', '1-3_months', '3-6_months', 'browsing'] as const),
    });
    for (let s = 0; s < rng.int(1, 2); s++) {
      const showingId = ids.next('real_estate.showings');
      const startsAt = Math.floor(between(ctx, since, anchorMs + 14 * DAY) / HOUR) * HOUR;
      const status = statusAt(
        ctx,
        startsAt,
        [
          ['completed', 7],
          ['cancelled', 2],
          ['no_show', 1],
        ],
        rng.chance(0.6) ? 'confirmed' : 'requested',
      );
      rows.add('real_estate.showings', {
        id: showingId,
        listing_id: rng.pick(listings).id,
        buyer_id: buyerId,
        realtor_id: rng.pick(realtors),
        starts_at: iso(startsAt),
        status,
        booked_by_agent_id: bookedBy(ctx),
      });
      if (status === 'completed' && rng.chance(0.6)) {
        rows.add('real_estate.showing_feedback', {
          showing_id: showingId,
          interest_level: rng.int(1, 5),
          comments: rng.pick(['Loved the kitchen', 'Too small', 'Street is noisy', 'Want a second showing', null]),
          collected_at: iso(startsAt + DAY),
        });
      }
    }
    if (rng.chance(0.3)) {
      const listing = rng.pick(listings);
      const offerId = ids.next('real_estate.offers');
      const status = rng.weighted([
        ['submitted', 2],
        ['countered', 2],
        ['accepted', 2],
        ['rejected', 2],
        ['withdrawn', 1],
      ] as const);
      const submittedAt = between(ctx, since, anchorMs);
      const amount = Math.round((listing.price * (0.92 + rng.next() * 0.1)) / 100_000) * 100_000;
      rows.add('real_estate.offers', {
        id: offerId,
        listing_id: listing.id,
        buyer_id: buyerId,
        amount_cents: amount,
        earnest_money_cents: Math.round(amount * 0.02),
        status,
        submitted_at: iso(submittedAt),
      });
      for (const kind of rng.sample(['inspection', 'financing', 'appraisal', 'sale_of_home'] as const, rng.int(1, 2))) {
        rows.add('real_estate.offer_contingencies', {
          offer_id: offerId,
          kind,
          deadline: dateOnly(submittedAt + rng.int(10, 30) * DAY),
        });
      }
      if (status === 'accepted' && submittedAt + 35 * DAY < anchorMs) {
        rows.add('real_estate.closings', {
          id: ids.next('real_estate.closings'),
          offer_id: offerId,
          closed_on: dateOnly(submittedAt + 35 * DAY),
          sale_price_cents: amount,
          commission_cents: Math.round(amount * 0.025),
        });
      }
    }
  }
}
