import type { SeedContext } from '../context.js';
import type { LeadFacts } from '../leads.js';

/** One account's operational data generator. */
export type Operations = (ctx: OperationsContext) => void;

/** The seed context plus the account whose operational data is being made. */
export interface OperationsContext extends SeedContext {
  readonly lead: LeadFacts;
  readonly accountId: number;
  /** When the account's agents went live (its trial start). */
  readonly since: number;
  /** This vertical's agent ids. */
  readonly agents: number[];
}

/** A phone number for one of the customer's own customers, in the account's city. */
export function customerPhone(ctx: OperationsContext): string {
  return ctx.catalog.phones.next(ctx.lead.city, ctx.rng.pick(ctx.lead.city.areaCodes));
}

/** An agent id for about 70 % of bookings; the rest were made by staff. */
export function bookedBy(ctx: OperationsContext): number | null {
  return ctx.rng.chance(0.7) ? ctx.rng.pick(ctx.agents) : null;
}

/** A status for something scheduled at `at`: past ones completed or missed, future ones booked. */
export function statusAt(
  ctx: OperationsContext,
  at: number,
  past: readonly (readonly [string, number])[],
  future: string,
): string {
  return at < ctx.anchorMs ? ctx.rng.weighted(past) : future;
}
