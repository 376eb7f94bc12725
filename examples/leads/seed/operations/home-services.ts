import { between, DAY, dateOnly, HOUR, iso } from '../context.js';
import { bookedBy, customerPhone, type OperationsContext, statusAt } from './shared.js';

const EQUIPMENT = [
  ['furnace', 'Carrier'],
  ['air_conditioner', 'Trane'],
  ['heat_pump', 'Lennox'],
  ['water_heater', 'Rheem'],
  ['electrical_panel', 'Square D'],
  ['generator', 'Generac'],
] as const;

/** A contractor with service areas and technicians; customers, their addresses and equipment, jobs, estimates and plans. */
export function homeServicesOperations(ctx: OperationsContext): void {
  const { rng, ids, rows, lead, since, anchorMs, catalog } = ctx;
  const trade = /Plumbing/.test(lead.company.name)
    ? 'plumbing'
    : /Electric/.test(lead.company.name)
      ? 'electrical'
      : 'hvac';
  const businessId = ids.next('home_services.businesses');
  rows.add('home_services.businesses', {
    id: businessId,
    account_id: ctx.accountId,
    name: lead.company.name,
    trade,
    license_number: `LIC-${rng.digits(6)}`,
    field_service_software: rng.pick(lead.vertical.systems),
  });
  const postcodes = new Set<string>();
  while (postcodes.size < rng.int(5, 12)) postcodes.add(`${lead.city.postal}${rng.digits(2)}`);
  for (const postal of postcodes)
    rows.add('home_services.service_areas', {
      business_id: businessId,
      postal_code: postal,
      trip_fee_cents: rng.chance(0.3) ? 4_900 : 0,
    });
  const technicians: number[] = [];
  for (let i = 0; i < rng.int(3, 10); i++) {
    const id = ids.next('home_services.technicians');
    technicians.push(id);
    rows.add('home_services.technicians', {
      id,
      business_id: businessId,
      full_name: rng.fullName(),
      skill_level: rng.pick(['apprentice', 'journeyman', 'master'] as const),
      is_on_call: i === 0,
    });
  }
  const types = catalog.homeServiceTypes.filter((t) => t.trade === trade);
  for (let c = 0; c < rng.int(20, 40); c++) {
    const customerId = ids.next('home_services.customers');
    const createdAt = between(ctx, since, anchorMs);
    rows.add('home_services.customers', {
      id: customerId,
      business_id: businessId,
      full_name: rng.fullName(),
      phone_e164: customerPhone(ctx),
      email: rng.chance(0.5) ? rng.email(rng.fullName()) : null,
      created_at: iso(createdAt),
    });
    const locationId = ids.next('home_services.service_locations');
    rows.add('home_services.service_locations', {
      id: locationId,
      customer_id: customerId,
      street: rng.streetAddress(),
      city: lead.city.name,
      region_code: lead.city.region,
      postal_code: rng.pick([...postcodes]),
      gate_code: rng.chance(0.1) ? `#${rng.digits(4)}` : null,
    });
    if (rng.chance(0.6)) {
      const [kind, brand] = rng.pick(EQUIPMENT);
      const installed = anchorMs - rng.int(1, 18) * 365 * DAY;
      rows.add('home_services.installed_equipment', {
        id: ids.next('home_services.installed_equipment'),
        location_id: locationId,
        kind,
        brand,
        installed_on: dateOnly(installed),
        warranty_until: dateOnly(installed + 10 * 365 * DAY),
      });
    }
    for (let j = 0; j < rng.int(1, 2); j++) {
      const type = rng.pick(types);
      const jobId = ids.next('home_services.jobs');
      const windowStart = Math.floor(between(ctx, createdAt, anchorMs + 10 * DAY) / HOUR) * HOUR;
      const status = statusAt(
        ctx,
        windowStart,
        [
          ['completed', 9],
          ['cancelled', 1],
        ],
        rng.chance(0.7) ? 'scheduled' : 'requested',
      );
      rows.add('home_services.jobs', {
        id: jobId,
        location_id: locationId,
        service_type_id: type.id,
        status,
        priority: rng.weighted([
          ['routine', 7],
          ['urgent', 2],
          ['emergency', 1],
        ] as const),
        window_starts_at: iso(windowStart),
        window_ends_at: iso(windowStart + 2 * HOUR),
        problem_description: rng.pick([
          'No cool air upstairs',
          'Water heater leaking',
          'Breaker keeps tripping',
          'Annual tune-up',
          'Strange noise from the unit',
          'Low water pressure',
        ]),
        booked_by_agent_id: bookedBy(ctx),
        created_at: iso(Math.min(createdAt, windowStart - HOUR)),
      });
      if (status === 'completed' || status === 'scheduled') {
        rows.add('home_services.dispatch_assignments', {
          job_id: jobId,
          technician_id: rng.pick(technicians),
          assigned_at: iso(windowStart - DAY),
          arrived_at: status === 'completed' ? iso(windowStart + rng.int(0, 110) * 60_000) : null,
        });
      }
      if (status === 'completed') {
        for (let l = 0; l < rng.int(1, 3); l++) {
          rows.add('home_services.job_line_items', {
            id: ids.next('home_services.job_line_items'),
            job_id: jobId,
            description:
              l === 0
                ? 'Diagnostic and labour'
                : rng.pick(['Capacitor', 'Flush and fill', 'Thermostat', 'Fittings', 'Breaker']),
            quantity: l === 0 ? (rng.int(1, 6) / 2).toFixed(2) : '1.00',
            unit_cents: l === 0 ? 12_900 : rng.int(20, 400) * 100,
          });
        }
      }
      if (rng.chance(0.2))
        rows.add('home_services.estimates', {
          id: ids.next('home_services.estimates'),
          job_id: jobId,
          total_cents: rng.int(20, 180) * 10_000,
          status: rng.pick(['sent', 'approved', 'declined', 'expired'] as const),
          sent_at: iso(windowStart + 3 * HOUR),
        });
    }
    if (rng.chance(0.2))
      rows.add('home_services.maintenance_plans', {
        id: ids.next('home_services.maintenance_plans'),
        customer_id: customerId,
        name: rng.pick(['Comfort Club', 'Peace of Mind Plan', 'Priority Service Agreement']),
        visits_per_year: 2,
        annual_cents: rng.pick([14_900, 19_900, 24_900]),
        renews_on: dateOnly(createdAt + 365 * DAY),
      });
  }
}
