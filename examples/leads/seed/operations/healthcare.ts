import { between, DAY, dateOnly, HOUR, iso } from '../context.js';
import { bookedBy, customerPhone, type OperationsContext, statusAt } from './shared.js';

const SPECIALTIES = [
  'General dentistry',
  'Family medicine',
  'Pediatrics',
  'Dermatology',
  'Physical therapy',
  'Orthodontics',
];
const CREDENTIALS = ['DDS', 'DMD', 'MD', 'DO', 'NP', 'PA', 'DPT'] as const;

/** A practice with locations, providers and their hours, patients with insurance, appointments and reminders. */
export function healthcareOperations(ctx: OperationsContext): void {
  const { rng, ids, rows, lead, since, anchorMs, catalog } = ctx;
  const { faker } = rng;
  const practiceId = ids.next('healthcare.practices');
  rows.add('healthcare.practices', {
    id: practiceId,
    account_id: ctx.accountId,
    name: lead.company.name,
    practice_type: lead.company.name.includes('Dental') ? 'dental' : 'primary_care',
    npi: `1${String(practiceId).padStart(9, '0')}`,
    ehr_system: rng.pick(lead.vertical.systems),
  });
  const locations: number[] = [];
  for (let i = 0; i < Math.min(lead.company.locations, 3); i++) {
    const id = ids.next('healthcare.practice_locations');
    locations.push(id);
    rows.add('healthcare.practice_locations', {
      id,
      practice_id: practiceId,
      name: i === 0 ? 'Main office' : `${rng.street()} office`,
      city: lead.city.name,
      region_code: lead.city.region,
      phone_e164: customerPhone(ctx),
    });
  }
  const providers: number[] = [];
  for (let i = 0; i < rng.int(2, 5); i++) {
    const id = ids.next('healthcare.providers');
    providers.push(id);
    rows.add('healthcare.providers', {
      id,
      practice_id: practiceId,
      full_name: `${rng.firstName()} ${rng.lastName()}`,
      credential: rng.pick(CREDENTIALS),
      specialty: rng.pick(SPECIALTIES),
      npi: `2${String(id).padStart(9, '0')}`,
      accepts_new_patients: rng.chance(0.8),
    });
    for (let weekday = 1; weekday <= 5; weekday++) {
      if (rng.chance(0.2)) continue;
      rows.add('healthcare.provider_schedules', {
        provider_id: id,
        location_id: rng.pick(locations),
        weekday,
        starts_at: rng.pick(['07:30', '08:00', '09:00']),
        ends_at: rng.pick(['16:00', '17:00', '18:00']),
      });
    }
  }
  for (let p = 0; p < rng.int(12, 28); p++) {
    const patientId = ids.next('healthcare.patients');
    const first = rng.firstName();
    const last = rng.lastName();
    const createdAt = between(ctx, since, anchorMs);
    rows.add('healthcare.patients', {
      id: patientId,
      practice_id: practiceId,
      first_name: first,
      last_name: last,
      date_of_birth: dateOnly(anchorMs - rng.int(2, 88) * 365 * DAY - rng.int(0, 364) * DAY),
      phone_e164: customerPhone(ctx),
      email: rng.chance(0.6) ? `${first}.${last}@example.net`.toLowerCase() : null,
      preferred_language: rng.chance(0.15) ? 'es' : 'en',
      created_at: iso(createdAt),
    });
    if (rng.chance(0.8)) {
      const policyId = ids.next('healthcare.patient_insurance_policies');
      rows.add('healthcare.patient_insurance_policies', {
        id: policyId,
        patient_id: patientId,
        plan_id: rng.pick(catalog.insurancePlanIds),
        member_id: `${faker.string.alpha({ length: 3, casing: 'upper' })}${rng.digits(9)}`,
        group_number: rng.chance(0.7) ? rng.digits(6) : null,
        is_primary: true,
        valid_from: dateOnly(createdAt - 200 * DAY),
        valid_to: null,
      });
      if (rng.chance(0.6)) {
        rows.add('healthcare.insurance_verifications', {
          id: ids.next('healthcare.insurance_verifications'),
          policy_id: policyId,
          checked_at: iso(createdAt + HOUR),
          result: rng.weighted([
            ['active', 12],
            ['inactive', 1],
            ['not_found', 1],
            ['error', 1],
          ] as const),
          copay_cents: rng.pick([0, 2_000, 2_500, 4_000, 5_000]),
          checked_by_agent_id: rng.pick(ctx.agents),
        });
      }
    }
    for (let a = 0; a < rng.int(1, 3); a++) {
      const appointmentId = ids.next('healthcare.appointments');
      const startsAt = Math.floor(between(ctx, createdAt, anchorMs + 30 * DAY) / HOUR) * HOUR;
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
      rows.add('healthcare.appointments', {
        id: appointmentId,
        patient_id: patientId,
        provider_id: rng.pick(providers),
        location_id: rng.pick(locations),
        appointment_type_id: rng.pick(catalog.appointmentTypeIds),
        starts_at: iso(startsAt),
        status,
        booked_by_agent_id: bookedBy(ctx),
        booked_on_call_id: null,
        created_at: iso(Math.min(createdAt, startsAt - DAY)),
      });
      if (status !== 'cancelled') {
        rows.add('healthcare.appointment_reminders', {
          id: ids.next('healthcare.appointment_reminders'),
          appointment_id: appointmentId,
          channel: rng.pick(['sms', 'voice', 'email'] as const),
          send_at: iso(startsAt - DAY),
          response: startsAt < anchorMs ? rng.pick(['confirmed', 'no_response', 'rescheduled'] as const) : null,
        });
      }
    }
  }
  rows.add('healthcare.baa_agreements', {
    id: ids.next('healthcare.baa_agreements'),
    account_id: ctx.accountId,
    signed_by: `${lead.firstName} ${lead.lastName}`,
    signed_at: iso(since - DAY),
    document_version: '2025-03',
  });
}
