import { between, DAY, dateOnly, HOUR, iso } from '../context.js';
import { bookedBy, customerPhone, type OperationsContext, statusAt } from './shared.js';

const ROOM_TYPES = [
  ['Standard King', 2],
  ['Double Queen', 4],
  ['Junior Suite', 3],
  ['Ocean View King', 2],
  ['Family Suite', 6],
] as const;
const CUISINES = ['New American', 'Italian', 'Steakhouse', 'Seafood', 'Mexican', 'Japanese'];

/** A hotel (rooms, rates, reservations) or a restaurant (venues, tables, reservations), guests and their requests. */
export function hospitalityOperations(ctx: OperationsContext): void {
  const { rng, ids, rows, lead, since, anchorMs } = ctx;
  const { faker } = rng;
  const isHotel = !/Bistro|Grill/.test(lead.company.name);
  const propertyId = ids.next('hospitality.properties');
  rows.add('hospitality.properties', {
    id: propertyId,
    account_id: ctx.accountId,
    name: lead.company.name,
    kind: isHotel ? (lead.company.name.includes('Resort') ? 'resort' : 'hotel') : 'restaurant',
    city: lead.city.name,
    region_code: lead.city.region,
    check_in_time: isHotel ? '15:00' : null,
    check_out_time: isHotel ? '11:00' : null,
  });
  const rates: { id: number; nightly: number }[] = [];
  if (isHotel) {
    for (const [name, occupancy] of rng.sample(ROOM_TYPES, rng.int(3, 5))) {
      const roomTypeId = ids.next('hospitality.room_types');
      rows.add('hospitality.room_types', {
        id: roomTypeId,
        property_id: propertyId,
        name,
        max_occupancy: occupancy,
        room_count: rng.int(4, 60),
      });
      const nightly = rng.int(12, 45) * 1_000;
      for (const [rate, factor, refundable] of [
        ['Flexible', 1, true],
        ['Advance purchase', 0.85, false],
      ] as const) {
        const id = ids.next('hospitality.rate_plans');
        rates.push({ id, nightly: Math.round(nightly * factor) });
        rows.add('hospitality.rate_plans', {
          id,
          room_type_id: roomTypeId,
          name: rate,
          nightly_cents: Math.round(nightly * factor),
          is_refundable: refundable,
        });
      }
    }
  }
  const venues: { id: number; tables: number[] }[] = [];
  for (let v = 0; v < (isHotel ? rng.int(0, 1) : rng.int(1, 2)); v++) {
    const venueId = ids.next('hospitality.dining_venues');
    const tables: number[] = [];
    rows.add('hospitality.dining_venues', {
      id: venueId,
      property_id: propertyId,
      name: v === 0 ? lead.company.name : `The ${faker.word.adjective()} Bar`,
      cuisine: rng.pick(CUISINES),
      opens_at: '11:30',
      closes_at: '22:00',
    });
    for (let t = 1; t <= rng.int(10, 20); t++) {
      const id = ids.next('hospitality.dining_tables');
      tables.push(id);
      rows.add('hospitality.dining_tables', {
        id,
        venue_id: venueId,
        label: `T${t}`,
        seats: rng.pick([2, 2, 4, 4, 6, 8]),
        area: rng.weighted([
          ['main', 6],
          ['patio', 2],
          ['bar', 1],
          ['private', 1],
        ] as const),
      });
    }
    venues.push({ id: venueId, tables });
  }
  for (let g = 0; g < rng.int(20, 40); g++) {
    const guestId = ids.next('hospitality.guests');
    const createdAt = between(ctx, since, anchorMs);
    rows.add('hospitality.guests', {
      id: guestId,
      account_id: ctx.accountId,
      full_name: rng.fullName(),
      phone_e164: customerPhone(ctx),
      email: rng.chance(0.7) ? rng.email(rng.fullName()) : null,
      created_at: iso(createdAt),
    });
    if (rng.chance(0.2))
      rows.add('hospitality.loyalty_members', {
        guest_id: guestId,
        tier: rng.weighted([
          ['member', 6],
          ['silver', 3],
          ['gold', 2],
          ['platinum', 1],
        ] as const),
        points: rng.int(0, 90_000),
        joined_on: dateOnly(createdAt),
      });
    if (rates.length > 0) {
      const rate = rng.pick(rates);
      const checkIn = Math.floor(between(ctx, createdAt, anchorMs + 60 * DAY) / DAY) * DAY;
      const nights = rng.int(1, 5);
      const reservationId = ids.next('hospitality.room_reservations');
      rows.add('hospitality.room_reservations', {
        id: reservationId,
        guest_id: guestId,
        rate_plan_id: rate.id,
        check_in: dateOnly(checkIn),
        check_out: dateOnly(checkIn + nights * DAY),
        adults: rng.int(1, 2),
        children: rng.chance(0.25) ? rng.int(1, 3) : 0,
        status: statusAt(
          ctx,
          checkIn,
          [
            ['checked_out', 8],
            ['cancelled', 1],
            ['no_show', 1],
          ],
          'booked',
        ),
        total_cents: rate.nightly * nights,
        booked_by_agent_id: bookedBy(ctx),
      });
      if (rng.chance(0.15))
        rows.add('hospitality.special_requests', {
          id: ids.next('hospitality.special_requests'),
          room_reservation_id: reservationId,
          table_reservation_id: null,
          kind: rng.pick(['early_check_in', 'late_check_out', 'crib', 'accessibility', 'celebration'] as const),
          detail: rng.pick([
            'Anniversary, champagne if possible',
            'Ground floor please',
            'Arriving 9 a.m. after a red-eye',
            'Needs a roll-in shower',
          ]),
        });
    }
    for (const venue of venues) {
      if (!rng.chance(0.6)) continue;
      const startsAt = Math.floor(between(ctx, createdAt, anchorMs + 14 * DAY) / DAY) * DAY + rng.int(17, 21) * HOUR;
      const reservationId = ids.next('hospitality.table_reservations');
      rows.add('hospitality.table_reservations', {
        id: reservationId,
        venue_id: venue.id,
        table_id: rng.chance(0.8) ? rng.pick(venue.tables) : null,
        guest_id: guestId,
        starts_at: iso(startsAt),
        party_size: rng.weighted([
          [2, 5],
          [4, 3],
          [6, 1],
          [8, 0.5],
        ] as const),
        status: statusAt(
          ctx,
          startsAt,
          [
            ['completed', 8],
            ['cancelled', 1],
            ['no_show', 1],
          ],
          'booked',
        ),
        booked_by_agent_id: bookedBy(ctx),
      });
      if (rng.chance(0.15))
        rows.add('hospitality.special_requests', {
          id: ids.next('hospitality.special_requests'),
          room_reservation_id: null,
          table_reservation_id: reservationId,
          kind: rng.pick(['allergy', 'celebration', 'accessibility'] as const),
          detail: rng.pick(['Shellfish allergy', 'Birthday, bring a candle', 'Wheelchair access', 'Gluten free']),
        });
    }
  }
}
