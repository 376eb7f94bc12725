import type { SeedContext } from '../context.js';
import type { LeadFacts } from '../leads.js';
import { automotiveOperations } from './automotive.js';
import { healthcareOperations } from './healthcare.js';
import { homeServicesOperations } from './home-services.js';
import { hospitalityOperations } from './hospitality.js';
import { realEstateOperations } from './real-estate.js';
import { salonOperations } from './salon.js';
import type { Operations } from './shared.js';

const BY_VERTICAL: Record<LeadFacts['vertical']['slug'], Operations> = {
  healthcare: healthcareOperations,
  real_estate: realEstateOperations,
  salon: salonOperations,
  hospitality: hospitalityOperations,
  home_services: homeServicesOperations,
  automotive: automotiveOperations,
};

/**
 * What the customer's own agents did for an account in its vertical's schema (patients and appointments, showings,
 * bookings, reservations, jobs, test drives). Only the first `detailedAccounts` accounts get it: it makes the
 * vertical tables real without growing with the lead count.
 */
export function generateOperations(ctx: SeedContext, lead: LeadFacts, accountId: number, since: number): void {
  if (accountId > ctx.detailedAccounts) return;
  const agents = ctx.catalog.agentsByVertical.get(lead.vertical.id)!.map((agent) => agent.id);
  BY_VERTICAL[lead.vertical.slug]({ ...ctx, lead, accountId, since, agents });
}
