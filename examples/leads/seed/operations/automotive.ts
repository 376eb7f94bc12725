import { between, DAY, dateOnly, HOUR, iso } from '../context.js';
import { bookedBy, customerPhone, type OperationsContext, statusAt } from './shared.js';

const LENDERS = ['Ally Financial', 'Capital One Auto', 'Toyota Financial Services', 'Chase Auto', 'Local credit union'];
const SERVICES = [
  'Oil change and tyre rotation',
  'Brake pads front',
  'Check engine light',
  '60k-mile service',
  'Recall: airbag inflator',
  'Battery replacement',
];
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** Dealership rooftops with inventory and service bays; customers, test drives, service visits, trade-ins, financing and deals. */
export function automotiveOperations(ctx: OperationsContext): void {
  const { rng, ids, rows, lead, since, anchorMs, catalog } = ctx;
  for (let d = 0; d < Math.min(lead.company.locations, 3); d++) {
    const dealershipId = ids.next('automotive.dealerships');
    rows.add('automotive.dealerships', {
      id: dealershipId,
      account_id: ctx.accountId,
      name: d === 0 ? lead.company.name : `${lead.company.name} ${rng.street()}`,
      dealer_code: rng.digits(6),
      dms_system: rng.pick(lead.vertical.systems),
      city: lead.city.name,
      region_code: lead.city.region,
    });
    const vehicles: { id: number; price: number }[] = [];
    for (let v = 0; v < rng.int(15, 30); v++) {
      const id = ids.next('automotive.vehicles');
      const condition = rng.weighted([
        ['new', 5],
        ['used', 4],
        ['certified', 2],
      ] as const);
      const price = rng.int(180, 780) * 10_000;
      vehicles.push({ id, price });
      const vin =
        Array.from({ length: 11 }, () => VIN_CHARS[rng.int(0, VIN_CHARS.length - 1)]).join('') +
        String(id).padStart(6, '0');
      rows.add('automotive.vehicles', {
        id,
        dealership_id: dealershipId,
        model_id: rng.pick(catalog.vehicleModelIds),
        vin,
        model_year: condition === 'new' ? 2026 : rng.int(2016, 2025),
        condition,
        mileage: condition === 'new' ? rng.int(3, 40) : rng.int(8_000, 110_000),
        price_cents: price,
        status: rng.weighted([
          ['in_stock', 7],
          ['in_transit', 1],
          ['on_hold', 1],
          ['sold', 2],
        ] as const),
      });
    }
    const bays: number[] = [];
    for (let b = 1; b <= rng.int(4, 8); b++) {
      const id = ids.next('automotive.service_bays');
      bays.push(id);
      rows.add('automotive.service_bays', { id, dealership_id: dealershipId, label: `Bay ${b}`, is_express: b <= 2 });
    }
    const sold = new Set<number>();
    for (let c = 0; c < rng.int(20, 40); c++) {
      const customerId = ids.next('automotive.customers');
      const createdAt = between(ctx, since, anchorMs);
      rows.add('automotive.customers', {
        id: customerId,
        dealership_id: dealershipId,
        full_name: rng.fullName(),
        phone_e164: customerPhone(ctx),
        email: rng.chance(0.6) ? rng.email(rng.fullName()) : null,
        created_at: iso(createdAt),
      });
      const vehicle = rng.pick(vehicles);
      if (rng.chance(0.3)) {
        const startsAt = Math.floor(between(ctx, createdAt, anchorMs + 7 * DAY) / HOUR) * HOUR;
        rows.add('automotive.test_drives', {
          id: ids.next('automotive.test_drives'),
          customer_id: customerId,
          vehicle_id: vehicle.id,
          starts_at: iso(startsAt),
          status: statusAt(
            ctx,
            startsAt,
            [
              ['completed', 7],
              ['no_show', 2],
              ['cancelled', 1],
            ],
            'booked',
          ),
          booked_by_agent_id: bookedBy(ctx),
        });
      }
      if (rng.chance(0.4)) {
        const startsAt = Math.floor(between(ctx, createdAt, anchorMs + 14 * DAY) / HOUR) * HOUR;
        rows.add('automotive.service_appointments', {
          id: ids.next('automotive.service_appointments'),
          customer_id: customerId,
          bay_id: rng.chance(0.8) ? rng.pick(bays) : null,
          vehicle_description: `${rng.int(2012, 2025)} ${rng.pick(['Camry', 'F-150', 'CR-V', 'Silverado', 'Outback', 'RAV4'])}`,
          service_requested: rng.pick(SERVICES),
          starts_at: iso(startsAt),
          status: statusAt(
            ctx,
            startsAt,
            [
              ['completed', 8],
              ['no_show', 1],
              ['cancelled', 1],
            ],
            'booked',
          ),
          needs_loaner: rng.chance(0.2),
          booked_by_agent_id: bookedBy(ctx),
        });
      }
      let tradeInId: number | null = null;
      if (rng.chance(0.15)) {
        tradeInId = ids.next('automotive.trade_in_appraisals');
        rows.add('automotive.trade_in_appraisals', {
          id: tradeInId,
          customer_id: customerId,
          vehicle_description: `${rng.int(2010, 2022)} ${rng.pick(['Accord', 'Corolla', 'Escape', 'Malibu', 'Altima'])}`,
          mileage: rng.int(30_000, 160_000),
          offered_cents: rng.chance(0.8) ? rng.int(30, 220) * 10_000 : null,
          appraised_at: iso(createdAt + DAY),
        });
      }
      if (rng.chance(0.15)) {
        rows.add('automotive.financing_applications', {
          id: ids.next('automotive.financing_applications'),
          customer_id: customerId,
          vehicle_id: vehicle.id,
          lender: rng.pick(LENDERS),
          amount_cents: Math.round(vehicle.price * 0.8),
          term_months: rng.pick([36, 48, 60, 72]),
          status: rng.pick(['submitted', 'approved', 'declined', 'funded'] as const),
          submitted_at: iso(createdAt + 2 * DAY),
        });
      }
      if (rng.chance(0.1) && !sold.has(vehicle.id)) {
        sold.add(vehicle.id);
        rows.add('automotive.sales_deals', {
          id: ids.next('automotive.sales_deals'),
          customer_id: customerId,
          vehicle_id: vehicle.id,
          trade_in_id: tradeInId,
          sale_price_cents: Math.round(vehicle.price * 0.97),
          delivered_on: createdAt + 5 * DAY < anchorMs ? dateOnly(createdAt + 5 * DAY) : null,
        });
      }
    }
  }
}
