import { STAGE_KINDS, type StageKind } from './catalog-data.js';
import { DAY, type SeedContext } from './context.js';

/** One stage a lead passed through: when it entered and left, and where it went. */
export interface StageVisit {
  readonly kind: StageKind;
  readonly enteredAt: number;
  /** Undefined while the lead is still in this stage. */
  readonly exitedAt: number | undefined;
  readonly next: StageKind | undefined;
}

const FUNNEL: readonly StageKind[] = STAGE_KINDS.slice(0, 7);
/** Mean days in each open stage, and the chance of moving on rather than being lost. */
const MEAN_DAYS: Partial<Record<StageKind, number>> = {
  new: 1.5,
  contacted: 5,
  qualified: 6,
  demo: 8,
  trial: 14,
  negotiation: 12,
};
const ADVANCE: Partial<Record<StageKind, number>> = {
  new: 0.75,
  contacted: 0.52,
  qualified: 0.6,
  demo: 0.48,
  trial: 0.62,
  negotiation: 0.66,
};
/** Healthcare needs a BAA and takes longer; salons decide fast; dealer groups negotiate. */
const PACE: Record<number, number> = { 1: 1.35, 2: 0.9, 3: 0.7, 4: 1.1, 5: 0.85, 6: 1.25 };

/** Walks a lead created at `createdAt` through its vertical's funnel until it is won, lost, or still open at the anchor. */
export function simulateJourney(
  ctx: SeedContext,
  verticalId: number,
  createdAt: number,
  sourceChannel: string,
): StageVisit[] {
  const { rng } = ctx;
  const visits: StageVisit[] = [];
  const pace = PACE[verticalId] ?? 1;
  // Warm sources convert better than cold outbound lists.
  const warmth =
    sourceChannel === 'referral' || sourceChannel === 'partner' ? 1.18 : sourceChannel === 'outbound' ? 0.78 : 1;
  let at = createdAt;
  for (let i = 0; i < FUNNEL.length; i++) {
    const kind = FUNNEL[i]!;
    if (kind === 'won') {
      visits.push({ kind, enteredAt: at, exitedAt: undefined, next: undefined });
      break;
    }
    const mean = (MEAN_DAYS[kind] ?? 5) * pace;
    const stay = kind === 'trial' ? (10 + rng.next() * 8) * DAY : rng.days(mean) * DAY;
    const leaveAt = at + Math.round(stay);
    if (leaveAt >= ctx.anchorMs) {
      visits.push({ kind, enteredAt: at, exitedAt: undefined, next: undefined });
      break;
    }
    const advances = rng.chance(Math.min(0.95, (ADVANCE[kind] ?? 0.5) * warmth));
    const next = advances ? FUNNEL[i + 1]! : 'lost';
    visits.push({ kind, enteredAt: at, exitedAt: leaveAt, next });
    at = leaveAt;
    if (next === 'lost') {
      visits.push({ kind: 'lost', enteredAt: at, exitedAt: undefined, next: undefined });
      break;
    }
  }
  return visits;
}

/** How far a journey got: the furthest open-funnel stage it reached. */
export function reached(visits: readonly StageVisit[], kind: StageKind): StageVisit | undefined {
  return visits.find((visit) => visit.kind === kind);
}
