import { jsonSchema, type Switchboard, ToolError } from 'switchboard-mcp';
import {
  CursorCodec,
  type CursorOptions,
  type Database,
  type PreparedQuery,
  prepareQuery,
  type QueryContext,
  type QueryPage,
  type Row,
} from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY, canSeePii, READ_SCOPE } from '../caller.js';
import {
  NOTE_WALK_LIMIT,
  SEARCH_FILTERS,
  SEARCH_LEADS_SQL,
  SEARCH_ORDERS,
  type SearchFilter,
} from '../queries/search-leads.js';
import type { Vocabulary } from '../vocabulary.js';
import { isoDate } from './dates.js';
import { emailLookup, givenFilters, notesIndexFor, RelevanceParts } from './relevance-parts.js';

const PAGE_SIZE = 20;
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The search arguments (strict: a misspelled filter such as "verticals" is an error naming it, not a broader search). */
function searchFilters(words: Vocabulary) {
  return {
    query: z
      .string()
      .trim()
      .min(3)
      .max(200)
      .optional()
      .describe('Part of a name, company or email, or words from notes'),
    vertical: z.enum(words.verticals).optional().describe('Only leads of this vertical'),
    stage: z
      .enum(words.stageKinds)
      .optional()
      .describe('Only leads in this stage of their pipeline (stages are unified across verticals)'),
    owner_id: z.number().int().positive().optional().describe('Only leads owned by this rep (crm.owners.id)'),
    source: z.enum(words.sources).optional().describe('Only leads from this source'),
    plan: z.enum(words.plans).optional().describe('Only leads quoted, trialling or paying for this plan'),
    created_from: isoDate.optional().describe('Only leads created on or after this day (YYYY-MM-DD, UTC)'),
    created_to: isoDate.optional().describe('Only leads created on or before this day (YYYY-MM-DD, UTC)'),
  };
}

/**
 * `search_leads`: gateway queries over the search statements (read-only, per-caller, keyset-paginated). Sorted by
 * relevance with a query, a page is filled from three parts in turn: the name and company matches, ranked; the
 * email-only matches; the note-only matches, newest first (queries/search-leads.ts says why). Its cursor, signed,
 * says which part to go on in and where in it. Every other request is one query over every match.
 */
export async function registerSearchLeads(
  server: Switchboard,
  db: Database,
  words: Vocabulary,
  cursorSecret?: string,
  tuning: SearchTuning = {},
): Promise<void> {
  const noteWalkLimit = tuning.noteWalkLimit ?? NOTE_WALK_LIMIT;
  const filters = searchFilters(words);
  const cursors: CursorOptions = cursorSecret === undefined ? {} : { secret: cursorSecret };
  const common = {
    name: 'search_leads',
    context: { pii: canSeePii },
    paginate: cursors,
    maxRows: PAGE_SIZE,
    ...(tuning.maxBytes === undefined ? {} : { maxBytes: tuning.maxBytes }),
    timeoutMs: 3_000,
    identity: CALLER_IDENTITY,
  };
  const sorts = Object.keys(SEARCH_ORDERS) as [keyof typeof SEARCH_ORDERS];
  const input = z.strictObject({
    ...filters,
    sort: z
      .enum(sorts)
      .default('relevance')
      .describe(
        'Order of the rows: relevance (best text match first, then newest), newest, oldest, recent_activity, highest_value or name',
      ),
  });
  type SearchArgs = z.infer<typeof input> & { cursor?: string };
  const everything = await prepareQuery(db, {
    ...common,
    input,
    sql: SEARCH_LEADS_SQL,
    orderBy: { sort: SEARCH_ORDERS },
  });
  // The relevance order with a query: the ranked parts (gateway-paginated), then the note-only matches, whose
  // position the handler keeps itself (the walk needs it inside its statement, under its own LIMIT). Each is
  // written for the filters a call gives and planned once per connection (generic plans): planning them for every
  // call's values took 2 to 4 ms a statement at a million leads, as long as running most of them.
  const parts = new RelevanceParts(db, {
    fields: filters,
    context: common.context,
    paginate: cursors,
    order: SEARCH_ORDERS.relevance,
    maxRows: PAGE_SIZE,
    ...(tuning.maxBytes === undefined ? {} : { maxBytes: tuning.maxBytes }),
    timeoutMs: common.timeoutMs,
    valueRows: PAGE_SIZE + 1,
    walkLimit: noteWalkLimit,
  });
  // Texts that hold each filter's condition in each of its forms are checked against the schema now (a vertical and
  // a stage together are one condition); the others are prepared on first use.
  for (const given of [[], ['vertical'], SEARCH_FILTERS.filter((name) => name !== 'vertical'), SEARCH_FILTERS]) {
    await parts.prepareEvery(given as SearchFilter[]);
  }
  const relevanceCursor = new CursorCodec('search_leads', cursors);

  /**
   * The newest note-only matches after `after`, a page of them, and whether more follow. A query that matched no
   * name, company or email is a phrase from notes, often a common one: the walk reads it, and hands over to the
   * indexes when it cannot fill the page (the phrase is rare among the leads the filters keep). A query that matched
   * some is a name or an address, whose words are rare in notes: the indexes read it at once.
   */
  const notesAfter = async (
    args: SearchArgs,
    given: SearchFilter[],
    after: NotesPosition | null,
    walk: boolean,
    ctx: QueryContext,
  ): Promise<QueryPage> => {
    const notesArgs = {
      ...args,
      cursor: undefined,
      ...(after === null ? {} : { after_created_at: after[0], after_id: after[1] }),
    };
    if (walk) {
      const walked = await (await parts.get('walk', given, after !== null)).run(notesArgs, ctx);
      if (walked.truncated) return walked;
    }
    return (await parts.get(notesIndexFor(given), given, after !== null)).run(notesArgs, ctx);
  };

  server.tool(
    'search_leads',
    {
      title: 'Search leads',
      description:
        'Find leads by free text and filters. "query" matches part of a lead\'s name, company name or email address, or words in the notes reps wrote (at least 3 characters; e.g. "Dental", "smith", "@acme.com", "after-hours BAA"). Without "query", lists leads matching the filters. Best match first: leads matched on their name, then company, then email, closest first, then leads matched only in their notes, newest first. Returns compact rows (id, name, company, vertical, stage, owner, source, plan, expected MRR in cents, dates, primary phone and email, relevance and matched fields); "truncated" true means more rows exist: pass "nextCursor" back as "cursor" for the next page. Use get_lead_by_phone or the leads://lead/{id} resource for one lead in full.',
      input: everything.inputSchema,
      output: jsonSchema({
        type: 'object',
        properties: {
          rows: { type: 'array', items: everything.rowSchema },
          truncated: { type: 'boolean', description: 'More rows matched than were returned' },
          nextCursor: { type: 'string', description: 'Pass as cursor to get the next page' },
        },
        required: ['rows', 'truncated'],
      }),
      annotations: READ_ONLY,
      scopes: [READ_SCOPE],
    },
    async (raw, ctx) => {
      const args = raw as SearchArgs;
      if (args.sort !== 'relevance' || args.query === undefined) return { ...(await everything.run(args, ctx)) };
      // Where the previous page stopped: in a ranked part (its own cursor, or null at its start) or in the note
      // part (the last row's created_at and id, or null at its start).
      const [part, position, walkNotes] =
        args.cursor === undefined ? [0, null, true] : readRelevanceCursor(relevanceCursor, args);
      const given = givenFilters(args);
      const rows: { row: Row; part: Part; args: Record<string, unknown>; from: PreparedQuery }[] = [];
      for (let at = part; at < NOTES_PART; at++) {
        // No email address holds whitespace: a query with some matches none (the statement says so too).
        if (at === EMAILS_PART && /[ \t\n\r\f\v]/.test(args.query)) continue;
        const cursor = at === part && typeof position === 'string' ? position : undefined;
        const rankedArgs = { ...args, cursor };
        // The cursor after a row is the later pages' statement's (the first page's has the same order and input).
        const from = await parts.get(at === 0 ? 'ranked' : emailLookup(args.query), given);
        // The first page reads the names first, and the company names (all ranked below them) if it has room.
        const queries = at === 0 && cursor === undefined ? (['namesFirst', 'companiesFirst'] as const) : [undefined];
        for (const first of queries) {
          const query = first === undefined ? from : await parts.get(first, given);
          const page = await query.run(rankedArgs, ctx);
          for (const row of page.rows) rows.push({ row, part: at as Part, args: rankedArgs, from });
          // More in this part (a full page, or one the byte cap cut short), or more rows than a page: stop here.
          if (rows.length > PAGE_SIZE || page.truncated) return continueAfter(false);
        }
      }
      // Decided on the first page, and kept in the cursor for the pages after it.
      const walk = part < NOTES_PART ? rows.length === 0 && part === 0 && position === null : walkNotes;
      const notesPosition = part === NOTES_PART ? (position as NotesPosition | null) : null;
      const notes = await notesAfter(args, given, notesPosition, walk, ctx);
      for (const row of notes.rows) rows.push({ row, part: NOTES_PART, args, from: everything });
      const more = rows.length > PAGE_SIZE || notes.truncated;
      if (!more) return { rows: rows.map((r) => r.row), truncated: false };
      return continueAfter(walk);

      /** A page of the rows found, and a cursor after its last row, in that row's part. */
      function continueAfter(walkOn: boolean) {
        const kept = rows.slice(0, PAGE_SIZE);
        const last = kept[kept.length - 1]!;
        return continueAt(
          kept.map((r) => r.row),
          last.part === NOTES_PART
            ? [NOTES_PART, [String(last.row.created_at), Number(last.row.id)], walkOn]
            : [last.part, last.from.cursorAfter(last.args, last.row) ?? null, false],
        );
      }

      function continueAt(page: Row[], at: RelevancePosition) {
        return { rows: page, truncated: true, nextCursor: relevanceCursor.encode(at, CursorCodec.digest(args)) };
      }
    },
  );
}

/** How search_leads reads: defaults fit a million leads; the tests set them small to reach every path. */
export interface SearchTuning {
  /** How many of the newest filtered leads the note part walks before it asks the text indexes (default 500). */
  noteWalkLimit?: number;
  /** The most bytes of rows one page holds (the gateway's default, 256 KiB). */
  maxBytes?: number;
}

/** The parts of the relevance order: name and company matches, email-only matches, note-only matches. */
type Part = 0 | 1 | 2;
const EMAILS_PART = 1;
const NOTES_PART = 2;
/** In the note part: the created_at and id of the last row a page showed. */
type NotesPosition = [createdAt: string, id: number];
/** A relevance cursor's payload: the part, where in it (null at its start), and whether the note part walks. */
type RelevancePosition = [0 | 1, string | null, boolean] | [2, NotesPosition | null, boolean];

/** The position a relevance cursor holds; the codec has checked its signature, age and arguments. */
function readRelevanceCursor(codec: CursorCodec, args: { cursor?: string }): RelevancePosition {
  const [part, at, walk] = codec.decode(args.cursor as string, CursorCodec.digest(args));
  const fits =
    typeof walk === 'boolean' &&
    (((part === 0 || part === EMAILS_PART) && (at === null || typeof at === 'string')) ||
      (part === NOTES_PART &&
        (at === null ||
          (Array.isArray(at) && at.length === 2 && typeof at[0] === 'string' && Number.isSafeInteger(at[1])))));
  if (!fits) {
    throw new ToolError('The cursor does not fit tool "search_leads". Call it again without a cursor to start over.');
  }
  return [part, at, walk] as RelevancePosition;
}
