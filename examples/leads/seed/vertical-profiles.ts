import type { SeedContext } from './context.js';
import { reached } from './lead-journey.js';
import type { LeadFacts } from './leads.js';

/** The vertical's qualification row for a lead that got as far as qualified. */
export function generateLeadProfile(ctx: SeedContext, lead: LeadFacts): void {
  if (reached(lead.visits, 'qualified') === undefined) return;
  const { rng, rows } = ctx;
  const system = rng.chance(0.85) ? rng.pick(lead.vertical.systems) : null;
  const size = lead.company.locations;
  switch (lead.vertical.slug) {
    case 'healthcare':
      rows.add('healthcare.lead_profiles', {
        lead_id: lead.id,
        practice_type: rng.weighted([
          ['dental', 5],
          ['primary_care', 3],
          ['dermatology', 1],
          ['physical_therapy', 2],
          ['pediatrics', 2],
          ['orthopedics', 1],
          ['optometry', 1],
          ['behavioral_health', 1],
        ] as const),
        provider_count: rng.int(1, 6) * size,
        ehr_system: system,
        accepts_insurance: rng.chance(0.85),
        needs_baa: rng.chance(0.95),
      });
      break;
    case 'real_estate':
      rows.add('real_estate.lead_profiles', {
        lead_id: lead.id,
        business_type: rng.weighted([
          ['brokerage', 4],
          ['team', 3],
          ['solo_agent', 2],
          ['property_manager', 2],
          ['builder', 1],
        ] as const),
        agent_count: rng.int(1, 40) * size,
        mls_name: system,
        monthly_inquiries: rng.int(40, 900),
      });
      break;
    case 'salon':
      rows.add('salon.lead_profiles', {
        lead_id: lead.id,
        business_type: rng.weighted([
          ['hair_salon', 5],
          ['barbershop', 2],
          ['nail_salon', 2],
          ['day_spa', 1],
          ['med_spa', 1],
        ] as const),
        chair_count: rng.int(2, 14) * size,
        booking_software: system,
        takes_walk_ins: rng.chance(0.4),
      });
      break;
    case 'hospitality': {
      const hotel = rng.chance(0.55);
      rows.add('hospitality.lead_profiles', {
        lead_id: lead.id,
        business_type: hotel
          ? rng.pick(['hotel', 'boutique_hotel', 'resort', 'vacation_rental'] as const)
          : rng.pick(['restaurant', 'restaurant_group'] as const),
        room_count: hotel ? rng.int(12, 400) : null,
        seat_count: hotel ? null : rng.int(30, 260),
        pms_system: system,
      });
      break;
    }
    case 'home_services':
      rows.add('home_services.lead_profiles', {
        lead_id: lead.id,
        trade: rng.weighted([
          ['hvac', 4],
          ['plumbing', 3],
          ['electrical', 2],
          ['roofing', 1],
          ['pest_control', 1],
          ['landscaping', 1],
          ['garage_doors', 1],
        ] as const),
        technician_count: rng.int(2, 30) * size,
        field_service_software: system,
        offers_emergency_service: rng.chance(0.6),
      });
      break;
    case 'automotive':
      rows.add('automotive.lead_profiles', {
        lead_id: lead.id,
        business_type:
          size > 1
            ? 'dealer_group'
            : rng.pick(['franchise_dealer', 'independent_dealer', 'service_center', 'body_shop'] as const),
        rooftop_count: size,
        dms_system: system,
        brands: rng.sample(
          ['Toyota', 'Honda', 'Ford', 'Chevrolet', 'Hyundai', 'Kia', 'Subaru', 'Nissan'],
          rng.int(1, 3),
        ),
      });
      break;
  }
}
