import { DAY, iso, type SeedContext } from './context.js';
import type { City } from './geography.js';
import type { Vertical } from './verticals.js';

/** A company as the lead generator remembers it, so later leads can join it (a group's other locations). */
export interface Company {
  readonly id: number;
  readonly verticalId: number;
  readonly name: string;
  readonly domain: string;
  readonly city: City;
  readonly locations: number;
  /** The number of the main line shared by every lead at this company, when it has one. */
  readonly mainLineId: number | undefined;
  /** Headquarters first, then other locations. */
  readonly addressIds: number[];
  leads: number;
}

const CARRIERS: Record<string, readonly string[]> = {
  mobile: ['Verizon Wireless', 'AT&T Mobility', 'T-Mobile USA'],
  landline: ['Lumen', 'Comcast Business', 'Spectrum Business', 'Frontier'],
  voip: ['RingCentral', 'Vonage Business', 'Google Voice', 'Ooma', 'Nextiva'],
};
const UK_CARRIERS = ['BT', 'Vodafone UK', 'EE', 'Virgin Media Business'];

/** Creates a company in `city` with its headquarters (and other locations), and maybe a shared main line. */
export function createCompany(
  ctx: SeedContext,
  vertical: Vertical,
  city: City,
  createdAt: number,
  forceMainLine: boolean,
): Company {
  const { rng, ids, rows } = ctx;
  const { faker } = rng;
  const id = ids.next('crm.companies');
  const name = rng
    .pick(vertical.companyPatterns)
    .replace('{last2}', rng.lastName())
    .replace('{last}', rng.lastName())
    .replace('{first}', rng.firstName())
    .replace('{city}', city.name)
    .replace('{word}', rng.pick(vertical.words));
  const slug = name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '');
  const domain = `${slug.slice(0, 40)}${city.country === 'GB' ? '.co.uk' : rng.chance(0.15) ? '.net' : '.com'}`;
  const hasMainLine = forceMainLine || rng.chance(0.2);
  const locations = forceMainLine
    ? 3
    : hasMainLine
      ? rng.weighted([
          [1, 3],
          [2, 4],
          [3, 2],
          [4, 1],
        ] as const)
      : rng.chance(0.05)
        ? 2
        : 1;
  const employees = Math.max(2, Math.round(rng.days(14) * locations));
  rows.add('crm.companies', {
    id,
    name,
    legal_name: rng.chance(0.6) ? `${name} ${rng.pick(['LLC', 'Inc.', 'PLLC', 'LLP', 'Corp.'])}` : null,
    domain,
    vertical_id: vertical.id,
    employee_count: employees,
    locations_count: locations,
    annual_revenue_band:
      employees < 10
        ? '<1M'
        : employees < 40
          ? '1M-5M'
          : employees < 150
            ? '5M-20M'
            : employees < 600
              ? '20M-100M'
              : '100M+',
    timezone: city.timezone,
    created_at: iso(createdAt),
  });
  const addressIds: number[] = [];
  for (let i = 0; i < Math.min(locations, 3); i++) {
    const addressId = ids.next('crm.addresses');
    addressIds.push(addressId);
    rows.add('crm.addresses', {
      id: addressId,
      company_id: id,
      kind: i === 0 ? 'headquarters' : 'location',
      line1: rng.streetAddress(),
      line2: rng.chance(0.3) ? `Suite ${rng.int(100, 950)}` : null,
      city: city.name,
      region_code: city.region,
      postal_code:
        city.country === 'US'
          ? `${city.postal}${rng.digits(2)}`
          : `${city.postal} ${rng.int(1, 9)}${faker.string.alpha({ length: 2, casing: 'upper' })}`,
      country_code: city.country,
      latitude: (city.lat + (rng.next() - 0.5) * 0.3).toFixed(6),
      longitude: (city.lng + (rng.next() - 0.5) * 0.3).toFixed(6),
    });
  }
  const mainLineId = hasMainLine ? createPhoneNumber(ctx, city, 'landline', createdAt) : undefined;
  return { id, verticalId: vertical.id, name, domain, city, locations, mainLineId, addressIds, leads: 0 };
}

/** A new distinct number in `city`, written to crm.phone_numbers; returns its id. */
export function createPhoneNumber(
  ctx: SeedContext,
  city: City,
  lineType: 'mobile' | 'landline' | 'voip',
  seenAt: number,
): number {
  const { rng, ids, rows, catalog } = ctx;
  const id = ids.next('crm.phone_numbers');
  rows.add('crm.phone_numbers', {
    id,
    e164: catalog.phones.next(city, rng.pick(city.areaCodes)),
    country_code: city.country,
    line_type: lineType,
    carrier: city.country === 'GB' ? rng.pick(UK_CARRIERS) : rng.pick(CARRIERS[lineType]!),
    first_seen_at: iso(seenAt - rng.int(0, 30) * DAY),
  });
  return id;
}
