import type { Context } from 'switchboard-mcp';
import { type CursorOptions, type Database, type PreparedQuery, prepareQuery } from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY } from '../caller.js';
import {
  byGivenFilters,
  EMAIL_TRIGRAM_MATCHES_SQL,
  emailMatchesSql,
  noteMatchesByWeekSql,
  noteMatchesIndexedSql,
  noteMatchesWalkSql,
  rankedFirstPageSql,
  rankedMatchesSql,
  SEARCH_FILTERS,
  type SearchDialect,
  type SearchFilter,
} from '../queries/search-leads.js';

/**
 * The statements of search_leads' relevance order: the name and company matches (on the first page names, then
 * company names, and on the later pages both), the email-only matches (by eight-character runs or by trigrams),
 * and the note-only matches (the walk, the text index, the index by stage and week).
 */
export type RelevancePart =
  | 'namesFirst'
  | 'companiesFirst'
  | 'ranked'
  | 'emailRuns'
  | 'emailTrigrams'
  | 'walk'
  | 'indexed'
  | 'byWeek';

const STATEMENTS: Record<RelevancePart, (dialect: SearchDialect) => string> = {
  namesFirst: (dialect) => rankedMatchesSql(dialect, ['name']),
  companiesFirst: (dialect) => rankedFirstPageSql(dialect, ['company']),
  ranked: rankedMatchesSql,
  emailRuns: (dialect) => emailMatchesSql(dialect, 'runs'),
  emailTrigrams: () => EMAIL_TRIGRAM_MATCHES_SQL,
  walk: noteMatchesWalkSql,
  indexed: noteMatchesIndexedSql,
  byWeek: noteMatchesByWeekSql,
};
const NOTE_PARTS: ReadonlySet<RelevancePart> = new Set(['walk', 'indexed', 'byWeek']);
/**
 * Planned for each call's values, with every filter (EMAIL_TRIGRAM_MATCHES_SQL): a short query's trigrams match
 * from a few dozen addresses to 24,000 ("mann"), and only a plan made for the query knows whether to intersect them
 * with the stage's leads (148,000 in one stage, 20 ms to read) or to check the stage on each address.
 */
const PLANNED_FOR_VALUES: ReadonlySet<RelevancePart> = new Set(['emailTrigrams']);

export interface RelevancePartsOptions {
  /** The query field and the filter fields of the tool's input. */
  fields: z.ZodRawShape;
  context: Record<string, (ctx: Context) => unknown>;
  paginate: CursorOptions;
  /** The ranked parts' keyset. */
  order: string;
  maxRows: number;
  maxBytes?: number;
  timeoutMs: number;
  /** How many leads of one value the first page reads at most. */
  valueRows: number;
  /** How many of the newest filtered leads the walk reads at most. */
  walkLimit: number;
}

/**
 * Each relevance part, written for the filters a call gives (byGivenFilters) and planned once per connection
 * (generic plans), prepared on first use and kept. A call gives one of 128 sets of filters; agents use a few.
 */
export class RelevanceParts {
  readonly #db: Database;
  readonly #options: RelevancePartsOptions;
  readonly #prepared = new Map<string, Promise<PreparedQuery>>();

  constructor(db: Database, options: RelevancePartsOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** The part for these filters, and for a note part, whether it goes on after a cursor's row. */
  get(part: RelevancePart, given: readonly SearchFilter[], afterCursor = false): Promise<PreparedQuery> {
    if (PLANNED_FOR_VALUES.has(part)) given = SEARCH_FILTERS;
    const after = afterCursor && NOTE_PARTS.has(part);
    const key = `${part} ${given.join(',')}${after ? ' after' : ''}`;
    let prepared = this.#prepared.get(key);
    if (prepared === undefined) {
      prepared = this.#prepare(part, given, after);
      this.#prepared.set(key, prepared);
      // A failure (the database was down) is not kept: the next call prepares again.
      prepared.catch(() => this.#prepared.delete(key));
    }
    return prepared;
  }

  /** Prepares every part a call with these filters can run now, so that a mistake in their text stops the start. */
  async prepareEvery(given: readonly SearchFilter[]): Promise<void> {
    const unused = notesIndexFor(given) === 'byWeek' ? 'indexed' : 'byWeek';
    const parts = (Object.keys(STATEMENTS) as RelevancePart[]).filter((part) => part !== unused);
    await Promise.all(parts.flatMap((part) => [this.get(part, given), this.get(part, given, true)]));
  }

  async #prepare(part: RelevancePart, given: readonly SearchFilter[], after: boolean): Promise<PreparedQuery> {
    const o = this.#options;
    const notes = NOTE_PARTS.has(part);
    const fields: Record<string, z.ZodType> = { query: o.fields.query as z.ZodType };
    for (const name of given) fields[name] = o.fields[name] as z.ZodType;
    if (after) Object.assign(fields, { after_created_at: z.string(), after_id: z.number().int() });
    const context: Record<string, (ctx: Context) => unknown> = { ...o.context };
    if (part === 'companiesFirst') context.value_rows = () => o.valueRows;
    if (part === 'walk') context.walk_limit = () => o.walkLimit;
    const forValues = PLANNED_FOR_VALUES.has(part);
    return prepareQuery(this.#db, {
      name: 'search_leads',
      input: z.object(fields),
      context,
      sql: STATEMENTS[part](byGivenFilters(new Set(given), after)),
      ...(notes ? { paginate: false as const } : { paginate: o.paginate, orderBy: o.order }),
      maxRows: o.maxRows,
      ...(o.maxBytes === undefined ? {} : { maxBytes: o.maxBytes }),
      timeoutMs: o.timeoutMs,
      identity: CALLER_IDENTITY,
      plan: forValues ? 'custom' : 'generic',
    }) as Promise<PreparedQuery>;
  }
}

/** The filters a call gives, in SEARCH_FILTERS' order. */
export function givenFilters(args: Partial<Record<SearchFilter, unknown>>): SearchFilter[] {
  return SEARCH_FILTERS.filter((name) => args[name] !== undefined);
}

/**
 * The note part that takes over from the walk: with a vertical or a stage, the index of lexemes by stage and week,
 * which reads only those stages' leads; otherwise the text index.
 */
export function notesIndexFor(given: readonly SearchFilter[]): 'indexed' | 'byWeek' {
  return given.includes('vertical') || given.includes('stage') ? 'byWeek' : 'indexed';
}

/** The email part that finds a query's addresses: by eight-character runs from eight characters on. */
export function emailLookup(query: string): 'emailRuns' | 'emailTrigrams' {
  return [...query].length >= 8 ? 'emailRuns' : 'emailTrigrams';
}
