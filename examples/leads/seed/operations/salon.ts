import { between, DAY, dateOnly, HOUR, iso } from '../context.js';
import { bookedBy, customerPhone, type OperationsContext, statusAt } from './shared.js';

const MENU = [
  [1, "Women's cut & style", 60, 8_500],
  [1, "Men's cut", 30, 4_500],
  [1, 'Blowout', 45, 5_500],
  [2, 'Single-process color', 90, 12_000],
  [2, 'Balayage', 180, 28_000],
  [3, 'Keratin treatment', 150, 30_000],
  [4, 'Gel manicure', 45, 4_500],
  [4, 'Spa pedicure', 60, 6_500],
  [5, 'Signature facial', 60, 11_000],
  [6, 'Deep tissue massage', 60, 12_500],
  [7, 'Beard trim & hot towel', 30, 3_500],
  [8, 'Brow wax', 15, 2_200],
] as const;

/** A salon with stylists, hours, a service menu, clients, bookings, memberships and reviews. */
export function salonOperations(ctx: OperationsContext): void {
  const { rng, ids, rows, lead, since, anchorMs } = ctx;
  const salonId = ids.next('salon.salons');
  rows.add('salon.salons', {
    id: salonId,
    account_id: ctx.accountId,
    name: lead.company.name,
    business_type: lead.company.name.includes('Barber') ? 'barbershop' : 'hair_salon',
    booking_software: rng.pick(lead.vertical.systems),
    cancellation_policy_hours: rng.pick([12, 24, 48]),
  });
  const services: { id: number; price: number }[] = [];
  for (const [category, name, minutes, price] of rng.sample(MENU, rng.int(7, MENU.length))) {
    const id = ids.next('salon.services');
    services.push({ id, price });
    rows.add('salon.services', {
      id,
      salon_id: salonId,
      category_id: category,
      name,
      duration_minutes: minutes,
      price_cents: price,
      requires_consultation: minutes >= 150,
    });
  }
  const stylists: number[] = [];
  for (let i = 0; i < rng.int(3, 8); i++) {
    const id = ids.next('salon.stylists');
    stylists.push(id);
    const name = rng.fullName();
    rows.add('salon.stylists', {
      id,
      salon_id: salonId,
      full_name: name,
      level: i === 0 ? 'owner' : rng.pick(['junior', 'senior', 'master'] as const),
      instagram_handle: rng.chance(0.5) ? `@${name.toLowerCase().replace(/[^a-z]/g, '')}.hair` : null,
      is_active: rng.chance(0.92),
    });
    for (let weekday = 2; weekday <= 6; weekday++) {
      if (rng.chance(0.25)) continue;
      rows.add('salon.stylist_schedules', {
        stylist_id: id,
        weekday,
        starts_at: rng.pick(['09:00', '10:00', '11:00']),
        ends_at: rng.pick(['17:00', '19:00', '20:00']),
      });
    }
    for (const service of rng.sample(services, Math.ceil(services.length * 0.6))) {
      rows.add('salon.stylist_services', {
        stylist_id: id,
        service_id: service.id,
        price_override_cents: i === 0 ? Math.round(service.price * 1.2) : null,
      });
    }
  }
  for (let c = 0; c < rng.int(20, 40); c++) {
    const clientId = ids.next('salon.clients');
    const createdAt = between(ctx, since, anchorMs);
    rows.add('salon.clients', {
      id: clientId,
      salon_id: salonId,
      full_name: rng.fullName(),
      phone_e164: customerPhone(ctx),
      email: rng.chance(0.5) ? rng.email(rng.fullName()) : null,
      preferred_stylist_id: rng.chance(0.6) ? rng.pick(stylists) : null,
      notes: rng.chance(0.2)
        ? rng.pick(['Sensitive scalp', 'Prefers quiet appointments', 'Allergic to PPD', 'Always runs 10 minutes late'])
        : null,
      created_at: iso(createdAt),
    });
    for (let b = 0; b < rng.int(1, 3); b++) {
      const bookingId = ids.next('salon.bookings');
      const startsAt = Math.floor(between(ctx, createdAt, anchorMs + 21 * DAY) / HOUR) * HOUR;
      const status = statusAt(
        ctx,
        startsAt,
        [
          ['completed', 8],
          ['no_show', 1],
          ['cancelled', 1],
        ],
        rng.chance(0.5) ? 'confirmed' : 'booked',
      );
      rows.add('salon.bookings', {
        id: bookingId,
        client_id: clientId,
        stylist_id: rng.pick(stylists),
        starts_at: iso(startsAt),
        status,
        deposit_cents: rng.chance(0.3) ? 2_500 : 0,
        booked_by_agent_id: bookedBy(ctx),
        created_at: iso(Math.min(createdAt, startsAt - DAY)),
      });
      for (const service of rng.sample(services, rng.int(1, 2)))
        rows.add('salon.booking_services', {
          booking_id: bookingId,
          service_id: service.id,
          price_cents: service.price,
        });
      if (status === 'completed' && rng.chance(0.3)) {
        rows.add('salon.reviews', {
          id: ids.next('salon.reviews'),
          booking_id: bookingId,
          rating: rng.weighted([
            [5, 7],
            [4, 2],
            [3, 1],
            [2, 0.5],
            [1, 0.3],
          ] as const),
          body: rng.pick([
            'Best cut in years!',
            'Booked by phone in a minute, easy.',
            'Great color, a bit of a wait.',
            null,
          ]),
          posted_at: iso(startsAt + DAY),
        });
      }
    }
    if (rng.chance(0.1)) {
      rows.add('salon.memberships', {
        id: ids.next('salon.memberships'),
        client_id: clientId,
        name: rng.pick(['Blowout club', 'Massage monthly', 'Nail membership']),
        monthly_cents: rng.pick([6_900, 9_900, 12_900]),
        started_on: dateOnly(createdAt + 7 * DAY),
        ended_on: null,
      });
    }
  }
}
