import { jsonSchema, type Switchboard, ToolError } from 'switchboard-mcp';
import { CursorCodec, type CursorOptions, type Database, prepareQuery, type Row } from 'switchboard-mcp/sql';
import { z } from 'zod';
import { CALLER_IDENTITY, canSeePii, READ_SCOPE } from '../caller.js';
import { RELEVANCE_PARTS, SEARCH_LEADS_SQL, SEARCH_ORDERS } from '../queries/search-leads.js';
import type { Vocabulary } from '../vocabulary.js';
import { isoDate } from './dates.js';

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
 * relevance with a query, a page is filled from the ranked matches and then from the note-only matches, newest
 * first (queries/search-leads.ts says why); its cursor says which part to go on in and carries that part's own
 * cursor, both signed. Every other request is one query over every match.
 */
export async function registerSearchLeads(
  server: Switchboard,
  db: Database,
  words: Vocabulary,
  cursorSecret?: string,
): Promise<void> {
  const filters = searchFilters(words);
  const cursors: CursorOptions = cursorSecret === undefined ? {} : { secret: cursorSecret };
  const common = {
    name: 'search_leads',
    context: { pii: canSeePii },
    paginate: cursors,
    maxRows: PAGE_SIZE,
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
  const parts = await Promise.all(
    RELEVANCE_PARTS.map((part) =>
      prepareQuery(db, { ...common, input: z.object(filters), sql: part.sql, orderBy: part.order }),
    ),
  );
  type PartArgs = Parameters<(typeof parts)[number]['run']>[0];
  const relevanceCursor = new CursorCodec('search_leads', cursors);

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
      // Where the previous page stopped: a part, and that part's own cursor (absent at the start of a part).
      let [part, inner] = [0, undefined as string | undefined];
      if (args.cursor !== undefined) [part, inner] = readRelevanceCursor(relevanceCursor, args);
      const rows: Row[] = [];
      for (; part < parts.length; part++, inner = undefined) {
        const query = parts[part]!;
        // Each part's cursor is bound to the part as well as the arguments, so one cannot stand in for another.
        const partArgs = { ...args, part, cursor: inner } as PartArgs;
        const page = await query.run(partArgs, ctx);
        const room = PAGE_SIZE - rows.length;
        const continueAt = (at: string | undefined) => ({
          rows,
          truncated: true,
          nextCursor: relevanceCursor.encode([part, at ?? null], CursorCodec.digest(args)),
        });
        if (page.rows.length > room) {
          rows.push(...page.rows.slice(0, room));
          return continueAt(query.cursorAfter(partArgs, rows[rows.length - 1]!));
        }
        rows.push(...page.rows);
        if (page.truncated) return continueAt(page.nextCursor);
        // The page is full and this part is done: the next part's first page says whether anything follows.
        if (rows.length === PAGE_SIZE && part + 1 < parts.length) {
          const next = await parts[part + 1]!.run({ ...args, part: part + 1, cursor: undefined } as PartArgs, ctx);
          if (next.rows.length === 0) break;
          part++;
          return continueAt(undefined);
        }
      }
      return { rows, truncated: false };
    },
  );
}

/** The part and its cursor a relevance cursor holds; the codec has checked its signature, age and arguments. */
function readRelevanceCursor(codec: CursorCodec, args: { cursor?: string }): [number, string | undefined] {
  const [part, inner] = codec.decode(args.cursor as string, CursorCodec.digest(args));
  if (
    typeof part !== 'number' ||
    !Number.isInteger(part) ||
    part < 0 ||
    part >= RELEVANCE_PARTS.length ||
    (inner !== null && typeof inner !== 'string')
  ) {
    throw new ToolError('The cursor does not fit tool "search_leads". Call it again without a cursor to start over.');
  }
  return [part, inner ?? undefined];
}
