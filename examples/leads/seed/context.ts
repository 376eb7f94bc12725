import type { Catalog } from './catalog.js';
import type { RowBuffer } from './insert-rows.js';
import type { Random } from './random.js';

/** Milliseconds in a day. */
export const DAY = 86_400_000;
/** Milliseconds in an hour. */
export const HOUR = 3_600_000;
/** Milliseconds in a minute. */
export const MINUTE = 60_000;

/** Per-table id counters: the seed assigns ids itself so rows can reference each other before they are written. */
export class Ids {
  readonly #next = new Map<string, number>();

  /** Makes `table`'s ids continue after `last` (rows the catalog wrote with their own ids). */
  continueAfter(table: string, last: number): void {
    this.#next.set(table, last);
  }

  next(table: string): number {
    const id = (this.#next.get(table) ?? 0) + 1;
    this.#next.set(table, id);
    return id;
  }

  /** The highest id handed out per table, to move the identity sequences past them at the end. */
  entries(): [string, number][] {
    return [...this.#next];
  }
}

/** What every generator works with. */
export interface SeedContext {
  readonly rng: Random;
  readonly catalog: Catalog;
  readonly ids: Ids;
  readonly rows: RowBuffer;
  readonly anchorMs: number;
  /** Accounts up to this id also get operational data in their vertical's schema. */
  readonly detailedAccounts: number;
}

/** A random moment between `from` and `to`, moved to a working hour (13:00-22:59 UTC, daytime in the Americas). */
export function between(ctx: SeedContext, from: number, to: number): number {
  const t = from + ctx.rng.next() * Math.max(0, to - from);
  const day = Math.floor(t / DAY) * DAY;
  return Math.min(to, Math.max(from, day + (13 + ctx.rng.int(0, 9)) * HOUR + ctx.rng.int(0, 59) * MINUTE));
}

/** A timestamp column's value: epoch milliseconds (see insertRows). */
export const iso = (ms: number): number => Math.round(ms);
/** A date column's value: the UTC day of `ms` as YYYY-MM-DD. */
export const dateOnly = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
