import type { Switchboard } from 'switchboard-mcp';
import { CursorCodec } from 'switchboard-mcp/sql';
import { TestClient, type TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createLeadsServer } from './leads-server.js';
import { CALLERS, createLeadsTestDatabase } from './test-database.js';

type Row = Record<string, unknown>;
type Page = { rows: Row[]; truncated: boolean; nextCursor?: string };

const text = (result: { content: { type: string; text?: string }[] }) =>
  result.content.map((block) => block.text ?? '').join('');

describe.each(sqlEngines())('leads tools on $name', ({ url }) => {
  let db: TestDatabase;
  let server: Switchboard;
  let admin: TestClient;
  let agent: TestClient;
  const call = async (client: TestClient, name: string, args: Record<string, unknown>) => {
    const result = await client.callTool(name, args);
    if (result.isError === true) return { result, error: text(result), data: undefined };
    return { result, error: undefined, data: result.structuredContent ?? JSON.parse(text(result)) };
  };
  /** The owner of the most leads: a filter value that keeps some of every kind of match. */
  const busiestOwner = async () =>
    (
      await db.query<{ id: number }>(
        'SELECT owner_id AS id FROM crm.leads WHERE owner_id IS NOT NULL GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1',
      )
    ).rows[0]!.id;
  const search = async (args: Record<string, unknown>, client = admin): Promise<Page> => {
    const { error, data } = await call(client, 'search_leads', args);
    expect(error).toBeUndefined();
    return data as Page;
  };

  beforeAll(async () => {
    db = await createLeadsTestDatabase(url);
    server = await createLeadsServer(db, { cursorSecret: 'x'.repeat(32) });
    admin = new TestClient(server, { auth: CALLERS.admin });
    agent = new TestClient(server, { auth: CALLERS.agent });
  }, 120_000);
  afterAll(() => db?.dispose());

  it('lists three read-only tools', async () => {
    const { tools } = await admin.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'get_lead_by_phone',
      'search_leads',
      'unified_pipeline_summary',
    ]);
    for (const tool of tools) expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  describe('search_leads', () => {
    it('finds leads by part of a name, a company, an email address or words in notes', async () => {
      const lead = (
        await db.query<{ last_name: string; company: string; email: string }>(
          `SELECT l.last_name, c.name AS company, e.address AS email FROM crm.leads l JOIN crm.companies c ON c.id = l.company_id
         JOIN crm.email_addresses e ON e.lead_id = l.id AND e.is_primary WHERE l.id = 10`,
        )
      ).rows[0]!;
      const byName = await search({ query: lead.last_name.slice(0, 5).toLowerCase() });
      expect(byName.rows.some((row) => row.id === 10)).toBe(true);
      expect(
        byName.rows.every(
          (row) =>
            String(row.name).toLowerCase().includes(lead.last_name.slice(0, 5).toLowerCase()) ||
            (row.matched_on as string[]).some((f) => f !== 'name'),
        ),
      ).toBe(true);
      expect((await search({ query: lead.company })).rows.some((row) => row.id === 10)).toBe(true);
      expect(
        (await search({ query: lead.email.split('@')[0]! })).rows.some(
          (row) => row.id === 10 && (row.matched_on as string[]).includes('email'),
        ),
      ).toBe(true);
      const noted = await search({ query: 'BAA' });
      expect(noted.rows.length).toBeGreaterThan(0);
      expect(noted.rows.every((row) => row.vertical === 'healthcare')).toBe(true);
    });

    it('returns compact rows with the fields an agent needs, best match first', async () => {
      const page = await search({ query: 'dental' });
      expect(Object.keys(page.rows[0]!).sort()).toEqual(
        [
          'company',
          'created_at',
          'email',
          'estimated_mrr_cents',
          'id',
          'last_activity_at',
          'matched_on',
          'name',
          'owner',
          'phone',
          'plan',
          'relevance',
          'source',
          'stage',
          'stage_kind',
          'vertical',
        ].sort(),
      );
      const scores = page.rows.map((row) => row.relevance as number);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('applies every filter, alone and together', async () => {
      const owner = await busiestOwner();
      const cases: [Record<string, unknown>, string][] = [
        [{ vertical: 'salon' }, `v.slug = 'salon'`],
        [{ stage: 'lost' }, `s.stage_kind = 'lost'`],
        [{ owner_id: owner }, `l.owner_id = ${owner}`],
        [{ source: 'google-ads' }, `src.slug = 'google-ads'`],
        [{ plan: 'growth' }, `p.slug = 'growth'`],
        [
          { created_from: '2026-06-01', created_to: '2026-06-30' },
          `l.created_at >= '2026-06-01' AND l.created_at < '2026-07-01'`,
        ],
        [
          { vertical: 'healthcare', stage: 'lost', plan: 'starter' },
          `v.slug = 'healthcare' AND s.stage_kind = 'lost' AND p.slug = 'starter'`,
        ],
      ];
      for (const [filters, where] of cases) {
        const expected = await db.query<{ id: number }>(
          `SELECT l.id FROM crm.leads l JOIN crm.verticals v ON v.id = l.vertical_id JOIN crm.pipeline_stages s ON s.id = l.stage_id
           JOIN crm.lead_sources src ON src.id = l.source_id LEFT JOIN billing.plans p ON p.id = l.plan_id WHERE ${where} ORDER BY l.created_at DESC, l.id DESC`,
        );
        const ids: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await search({ ...filters, sort: 'newest', ...(cursor === undefined ? {} : { cursor }) });
          ids.push(...page.rows.map((row) => row.id as number));
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        expect(ids, JSON.stringify(filters)).toEqual(expected.rows.map((row) => row.id));
      }
    });

    it('applies every filter to a search by relevance, alone and together, in every part', async () => {
      // The relevance parts are written for the filters a call gives (one text per set of filters, planned once
      // per connection): each set must keep exactly the leads its filters keep. "service" is in names, company
      // names and notes, and "mann" in names and addresses, so the pages cross the ranked, email and note parts.
      const owner = await busiestOwner();
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'true'],
        [{ vertical: 'home_services' }, `v.slug = 'home_services'`],
        [{ stage: 'lost' }, `s.stage_kind = 'lost'`],
        [{ owner_id: owner }, `l.owner_id = ${owner}`],
        [{ source: 'google-ads' }, `src.slug = 'google-ads'`],
        [{ plan: 'growth' }, `p.slug = 'growth'`],
        [{ created_from: '2026-01-01' }, `l.created_at >= '2026-01-01'`],
        [{ created_to: '2026-03-31' }, `l.created_at < '2026-04-01'`],
        [
          { vertical: 'home_services', stage: 'lost', source: 'google-ads' },
          `v.slug = 'home_services' AND s.stage_kind = 'lost' AND src.slug = 'google-ads'`,
        ],
      ];
      let crossed = 0;
      for (const query of ['service', 'mann']) {
        for (const [filters, where] of cases) {
          const expected = await db.query<{ id: number }>(
            `SELECT l.id FROM crm.leads l JOIN crm.verticals v ON v.id = l.vertical_id JOIN crm.pipeline_stages s ON s.id = l.stage_id
             JOIN crm.lead_sources src ON src.id = l.source_id LEFT JOIN billing.plans p ON p.id = l.plan_id
             WHERE (l.full_name ILIKE '%' || $1 || '%' OR l.company_name ILIKE '%' || $1 || '%'
                 OR l.email_text ILIKE '%' || $1 || '%' OR l.notes_tsv @@ websearch_to_tsquery('english', $1))
               AND ${where}
             ORDER BY l.id`,
            [query],
          );
          const ids: number[] = [];
          let cursor: string | undefined;
          do {
            const page = await search({ query, ...filters, ...(cursor === undefined ? {} : { cursor }) });
            ids.push(...page.rows.map((row) => row.id as number));
            if (new Set(page.rows.map((row) => (row.matched_on as string[]).join())).size > 1) crossed++;
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          expect(
            ids.sort((a, b) => a - b),
            `${query} ${JSON.stringify(filters)}`,
          ).toEqual(expected.rows.map((row) => row.id));
        }
      }
      expect(crossed).toBeGreaterThan(3);
    });

    it('sorts by each order and pages through all rows without repeats', async () => {
      const orders: Record<string, (a: Row, b: Row) => number> = {
        newest: (a, b) => String(b.created_at).localeCompare(String(a.created_at)),
        oldest: (a, b) => String(a.created_at).localeCompare(String(b.created_at)),
        highest_value: (a, b) => (b.estimated_mrr_cents as number) - (a.estimated_mrr_cents as number),
        recent_activity: (a, b) =>
          new Date(String(b.last_activity_at)).getTime() - new Date(String(a.last_activity_at)).getTime(),
      };
      for (const [sort, compare] of Object.entries(orders)) {
        const first = await search({ sort });
        expect(first.rows).toHaveLength(20);
        expect(first.truncated).toBe(true);
        const second = await search({ sort, cursor: first.nextCursor });
        const both = [...first.rows, ...second.rows];
        expect(new Set(both.map((row) => row.id)).size).toBe(40);
        for (let i = 1; i < both.length; i++) expect(compare(both[i - 1]!, both[i]!), sort).toBeLessThanOrEqual(0);
      }
    });

    it('ranks name, company and email matches first, then note-only matches newest first, across pages', async () => {
      // "service" is in a few names or companies and in many more leads' notes only, so its pages cross from the
      // ranked part to the note part inside a page, and the note part runs over more than one page.
      const query = 'service';
      const expected = await db.query<{ id: number; ranked: boolean; created_at: string }>(
        `SELECT id, (full_name ILIKE '%service%' OR company_name ILIKE '%service%' OR email_text ILIKE '%service%') IS TRUE AS ranked, created_at::text
         FROM crm.leads WHERE full_name ILIKE '%service%' OR company_name ILIKE '%service%' OR email_text ILIKE '%service%'
           OR notes_tsv @@ websearch_to_tsquery('english', 'service')`,
      );
      const rankedCount = expected.rows.filter((row) => row.ranked).length;
      expect(rankedCount % 20).toBeGreaterThan(0);
      expect(expected.rows.length - rankedCount).toBeGreaterThan(20 + (20 - (rankedCount % 20)));
      const rows: Row[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await search({ query, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.rows.length).toBeLessThanOrEqual(20);
        expect(page.truncated).toBe(page.nextCursor !== undefined);
        rows.push(...page.rows);
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== undefined && pages < 20);
      expect(cursor).toBeUndefined();
      expect(rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b))).toEqual(
        expected.rows.map((row) => row.id).sort((a, b) => a - b),
      );
      const ranked = rows.slice(0, rankedCount);
      const notesOnly = rows.slice(rankedCount);
      for (const row of ranked) expect(row.relevance as number).toBeGreaterThan(1);
      const scores = ranked.map((row) => row.relevance as number);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const row of notesOnly) expect([row.relevance, row.matched_on]).toEqual([1, ['note']]);
      const created = notesOnly.map((row) => new Date(String(row.created_at)).getTime());
      expect(created).toEqual([...created].sort((a, b) => b - a));
    });

    it('pages through a note phrase newest first, whether the walk fills each page or hands over to the text index', async () => {
      // "demo" is only ever in notes: the note part walks the newest leads. A server whose walk reads 5 leads
      // at most cannot fill a page that way and reads the text index instead; both give the same pages.
      const expected = await db.query<{ id: number }>(
        `SELECT id FROM crm.leads WHERE notes_tsv @@ websearch_to_tsquery('english', 'demo') ORDER BY created_at DESC, id DESC`,
      );
      expect(expected.rows.length).toBeGreaterThan(40);
      const shortWalk = await createLeadsServer(db, { cursorSecret: 'x'.repeat(32), search: { noteWalkLimit: 5 } });
      for (const client of [admin, new TestClient(shortWalk, { auth: CALLERS.admin })]) {
        const ids: unknown[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await search({ query: 'demo', ...(cursor === undefined ? {} : { cursor }) }, client);
          expect(page.rows.every((row) => row.relevance === 1)).toBe(true);
          ids.push(...page.rows.map((row) => row.id));
          cursor = page.nextCursor;
          if (cursor === undefined) break;
        }
        expect(ids).toEqual(expected.rows.map((row) => row.id));
      }
    });

    it('finds note phrases among the leads of a vertical or a stage month by month, as the text itself says', async () => {
      // A 5-lead walk never fills a page, so every page after it comes from the lexemes indexed by stage and month
      // (migration 026): its pages must hold what a plain scan of the notes finds, in the same order.
      const shortWalk = new TestClient(
        await createLeadsServer(db, { cursorSecret: 'x'.repeat(32), search: { noteWalkLimit: 5 } }),
        { auth: CALLERS.admin },
      );
      const cases: [Record<string, string>, string][] = [
        [{ query: 'demo', vertical: 'healthcare', stage: 'lost' }, `v.slug = 'healthcare' AND s.stage_kind = 'lost'`],
        [{ query: 'demo', stage: 'lost' }, `s.stage_kind = 'lost'`],
        [{ query: 'pricing before a demo', vertical: 'salon' }, `v.slug = 'salon'`],
        [{ query: 'demo -pricing', stage: 'won' }, `s.stage_kind = 'won'`],
        [{ query: 'BAA', vertical: 'automotive' }, `v.slug = 'automotive'`],
        [
          { query: 'answering service', stage: 'lost', created_from: '2025-06-01', created_to: '2025-12-31' },
          `s.stage_kind = 'lost' AND l.created_at >= '2025-06-01' AND l.created_at < '2026-01-01'`,
        ],
      ];
      let pagesAcross = 0;
      for (const [args, where] of cases) {
        const expected = await db.query<{ id: number }>(
          `SELECT l.id FROM crm.leads l JOIN crm.verticals v ON v.id = l.vertical_id JOIN crm.pipeline_stages s ON s.id = l.stage_id
           WHERE l.notes_tsv @@ websearch_to_tsquery('english', $1) AND ${where}
             AND (l.full_name ILIKE '%' || $1 || '%' OR l.company_name ILIKE '%' || $1 || '%' OR l.email_text ILIKE '%' || $1 || '%') IS NOT TRUE
           ORDER BY l.created_at DESC, l.id DESC`,
          [args.query],
        );
        for (const client of [admin, shortWalk]) {
          const ids: unknown[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 50; pages++) {
            const page = await search({ ...args, ...(cursor === undefined ? {} : { cursor }) }, client);
            ids.push(...page.rows.map((row) => row.id));
            cursor = page.nextCursor;
            if (cursor === undefined) break;
            pagesAcross++;
          }
          expect(ids, JSON.stringify(args)).toEqual(expected.rows.map((row) => row.id));
        }
      }
      expect(pagesAcross).toBeGreaterThan(4);
    });

    it('cuts a relevance page short at its byte cap and goes on from there, in the ranked part and the note part', async () => {
      // About three rows fit in 1,500 bytes: every part's pages are cut by bytes, not by the row limit.
      const small = new TestClient(
        await createLeadsServer(db, { cursorSecret: 'x'.repeat(32), search: { maxBytes: 1_500 } }),
        { auth: CALLERS.admin },
      );
      const walk = async (client: TestClient) => {
        const ids: unknown[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await search({ query: 'service', ...(cursor === undefined ? {} : { cursor }) }, client);
          expect(page.truncated).toBe(page.nextCursor !== undefined);
          ids.push(...page.rows.map((row) => row.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== undefined && pages < 100);
        return { ids, pages };
      };
      const full = await walk(admin);
      const cut = await walk(small);
      expect(cut.pages).toBeGreaterThan(full.pages * 3);
      expect(cut.ids).toEqual(full.ids);
    });

    it('refuses a cursor of the relevance order that was tampered with or made for other arguments', async () => {
      const first = await search({ query: 'service' });
      expect(first.nextCursor).toBeTypeOf('string');
      const [payload, signature] = first.nextCursor!.split('.');
      // Another part, the same signature: the payload no longer matches it.
      const fields = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as unknown[];
      fields[4] = [0, null];
      const forged = Buffer.from(JSON.stringify(fields)).toString('base64url');
      for (const cursor of [`${forged}.${signature}`, `${first.nextCursor!.slice(0, -2)}xx`, 'x.y']) {
        expect((await call(admin, 'search_leads', { query: 'service', cursor })).error).toMatch(
          /cursor is not valid.*without a cursor/,
        );
      }
      const other = await call(admin, 'search_leads', { query: 'dental', cursor: first.nextCursor });
      expect(other.error).toMatch(/cursor was made for different arguments/);
    });

    it('refuses a correctly signed relevance cursor whose position is not one it makes', async () => {
      // Signed with the server's own secret, for the same arguments: only the position inside is wrong (a part
      // that does not exist, a note position that is not [created_at, id], a walk flag that is not a boolean).
      const codec = new CursorCodec('search_leads', { secret: 'x'.repeat(32) });
      const digest = CursorCodec.digest({ query: 'service', sort: 'relevance' });
      const valid = codec.encode([0, null, false], digest);
      expect((await call(admin, 'search_leads', { query: 'service', cursor: valid })).error).toBeUndefined();
      for (const position of [
        [3, null, false],
        [2, ['2026-01-01', 'x'], false],
        [2, 'somewhere', true],
        [0, null, 'yes'],
        [1, 7, false],
      ]) {
        const cursor = codec.encode(position, digest);
        expect(
          (await call(admin, 'search_leads', { query: 'service', cursor })).error,
          JSON.stringify(position),
        ).toMatch(/cursor does not fit tool "search_leads".*without a cursor/);
      }
    });

    it('refuses a tampered cursor, or one made for other arguments, with a clear error', async () => {
      const first = await search({ vertical: 'salon' });
      const tampered = await call(admin, 'search_leads', {
        vertical: 'salon',
        cursor: `${first.nextCursor!.slice(0, -2)}xx`,
      });
      expect(tampered.error).toMatch(/cursor is not valid.*without a cursor/);
      const other = await call(admin, 'search_leads', { vertical: 'automotive', cursor: first.nextCursor });
      expect(other.error).toMatch(/cursor/i);
    });

    it('names the field of every bad argument', async () => {
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ query: 'ab' }, /query: .*at least 3/],
        [{ vertical: 'space' }, /vertical: expected one of "healthcare"/],
        [{ stage: 'closing' }, /stage: expected one of/],
        [{ owner_id: -3 }, /owner_id/],
        [{ created_from: '2026-02-30' }, /created_from: .*date/],
        [{ created_to: '1850-01-01' }, /created_to: .*between 2000-01-01 and 2099-12-31/],
        [
          { created_from: '2026-05-01', created_to: '2026-04-01' },
          /"created_from" \(2026-05-01\) is after "created_to" \(2026-04-01\)/,
        ],
        [{ sort: 'random' }, /sort: expected one of "relevance"/],
        [{ verticals: 'salon' }, /verticals: expected no such property/],
      ];
      for (const [args, message] of bad)
        expect((await call(admin, 'search_leads', args)).error, JSON.stringify(args)).toMatch(message);
    });
  });

  describe('get_lead_by_phone', () => {
    const phoneOf = async (leadId: number, label = 'mobile|direct') =>
      (
        await db.query<{ e164: string }>(
          `SELECT pn.e164 FROM crm.lead_phone_numbers lp JOIN crm.phone_numbers pn ON pn.id = lp.phone_number_id
         WHERE lp.lead_id = $1 AND lp.label ~ $2 ORDER BY pn.id LIMIT 1`,
          [leadId, `^(${label})$`],
        )
      ).rows[0]!.e164;
    const lookup = async (args: Record<string, unknown>, client = admin) => {
      const { error, data } = await call(client, 'get_lead_by_phone', args);
      expect(error).toBeUndefined();
      return data as { phone: string; matches: number; leads: Row[]; note?: string };
    };

    it('reads the number in any human format and returns the lead in full', async () => {
      const e164 = await phoneOf(20);
      const national = `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
      for (const phone of [
        e164,
        national,
        `${e164.slice(2, 5)}.${e164.slice(5, 8)}.${e164.slice(8)}`,
        `1-${e164.slice(2, 5)}-${e164.slice(5, 8)}-${e164.slice(8)}`,
        `tel:${e164}`,
      ]) {
        const found = await lookup({ phone });
        expect(found.phone, phone).toBe(e164);
        expect(
          found.leads.map((lead) => lead.id),
          phone,
        ).toEqual([20]);
      }
      const lead = (await lookup({ phone: national })).leads[0]!;
      for (const key of [
        'company',
        'stage',
        'owner',
        'plan',
        'trial',
        'subscription',
        'contacts',
        'phone_numbers',
        'emails',
        'consent',
        'stage_history',
        'latest_activities',
      ])
        expect(lead).toHaveProperty(key);
      const history = lead.stage_history as { kind: string }[];
      expect(history.at(-1)!.kind).toBe((lead.stage as { kind: string }).kind);
      expect((lead.latest_activities as unknown[]).length).toBeGreaterThan(0);
      expect((lead.latest_activities as unknown[]).length).toBeLessThanOrEqual(10);
    });

    it('returns every lead a shared main line reaches', async () => {
      const found = await lookup({ phone: await phoneOf(1, 'main_line|front_desk') });
      expect(found.leads.map((lead) => lead.id).sort()).toEqual([1, 2, 3]);
      expect(found.matches).toBe(3);
      for (const lead of found.leads)
        expect(lead.matched_as).toEqual(expect.arrayContaining([expect.stringMatching(/main_line|front_desk/)]));
    });

    it('says so when no lead has the number', async () => {
      const found = await lookup({ phone: '+1 212 555 0199' });
      expect(found).toMatchObject({ phone: '+12125550199', matches: 0, leads: [] });
      expect(found.note).toContain('+12125550199');
    });

    it('reads a number without a country code in the given country', async () => {
      const uk = (
        await db.query<{ e164: string; lead_id: number }>(
          `SELECT pn.e164, lp.lead_id FROM crm.phone_numbers pn JOIN crm.lead_phone_numbers lp ON lp.phone_number_id = pn.id WHERE pn.e164 LIKE '+44%' LIMIT 1`,
        )
      ).rows[0];
      if (uk === undefined) return;
      const found = await lookup({ phone: `0${uk.e164.slice(3)}`, country: 'GB' });
      expect(found.leads.map((lead) => lead.id)).toContain(uk.lead_id);
    });

    it('refuses what is not a phone number, saying what is expected', async () => {
      for (const phone of ['12345', 'call me maybe', '', '+1 415 555 0123 99999']) {
        const { error } = await call(admin, 'get_lead_by_phone', { phone });
        expect(error, phone).toMatch(/"phone" must be (a|a valid) phone number such as "\+1 415 555 0123"/);
      }
      expect((await call(admin, 'get_lead_by_phone', { phone: '415 555 0123', country: 'Narnia' })).error).toMatch(
        /country: expected a string matching/,
      );
      expect((await call(admin, 'get_lead_by_phone', { phone: '415 555 0123', country: 'XX' })).error).toMatch(
        /"country" must be an ISO 3166/,
      );
      expect((await call(admin, 'get_lead_by_phone', {})).error).toMatch(/phone/);
    });
  });

  const summary = async (args: Record<string, unknown>, client = admin) => {
    const { error, data } = await call(client, 'unified_pipeline_summary', args);
    expect(error).toBeUndefined();
    return data as {
      period: { from: string; to: string };
      freshness: Record<string, unknown>;
      rows: Row[];
      truncated: boolean;
      nextCursor?: string;
    };
  };

  /** Every row of a summary, page by page. */
  const allRows = async (args: Record<string, unknown>, client = admin) => {
    const rows: Row[] = [];
    let page = await summary(args, client);
    for (;;) {
      rows.push(...page.rows);
      if (page.nextCursor === undefined) return rows;
      page = await summary({ ...args, cursor: page.nextCursor }, client);
    }
  };

  describe('unified_pipeline_summary', () => {
    it('matches a GROUP BY over the stage history, for every vertical and stage, with stage durations', async () => {
      const result = await summary({ group_by: 'vertical', from_month: '2025-01', to_month: '2026-11' });
      expect(result.period).toEqual({ from: '2025-01-01', to: '2026-11-30' });
      const truth = await db.query<{
        segment: string;
        stage: string;
        entered: number;
        advanced: number;
        days: number | null;
      }>(
        `SELECT v.slug AS segment, s.stage_kind AS stage, count(*)::int AS entered,
                count(*) FILTER (WHERE n.stage_kind <> 'lost' AND n.position > s.position)::int AS advanced,
                round((avg(extract(epoch FROM h.exited_at - h.entered_at)) / 86400)::numeric, 1)::float8 AS days
         FROM crm.lead_stage_history h JOIN crm.pipeline_stages s ON s.id = h.stage_id JOIN crm.verticals v ON v.id = s.pipeline_id
         LEFT JOIN crm.pipeline_stages n ON n.id = h.next_stage_id
         WHERE h.entered_at >= '2025-01-01' AND h.entered_at < '2026-12-01' GROUP BY 1, 2`,
      );
      expect(result.rows).toHaveLength(truth.rows.length);
      for (const expected of truth.rows) {
        const row = result.rows.find((r) => r.segment === expected.segment && r.stage === expected.stage)!;
        expect(row, `${expected.segment}/${expected.stage}`).toMatchObject({
          entered: expected.entered,
          advanced: expected.advanced,
          avg_days_in_stage: expected.days,
        });
      }
      expect(new Set(result.rows.map((row) => row.segment))).toEqual(
        new Set(['healthcare', 'real_estate', 'salon', 'hospitality', 'home_services', 'automotive']),
      );
      const demo = result.rows.find((row) => row.segment === 'healthcare' && row.stage === 'demo')!;
      expect(demo.conversion_rate).toBeGreaterThan(0);
      expect(demo.conversion_rate).toBeLessThan(1);
    });

    it('states how fresh the rollups are, and reflects a stage change at once', async () => {
      const before = await summary({ group_by: 'stage' });
      expect(before.freshness.maintained_by).toMatch(/triggers .* same transaction/);
      expect(Date.parse(String(before.freshness.as_of))).toBeGreaterThan(
        Date.parse(String(before.freshness.last_change_at)) - 1,
      );
      const wonBefore = before.rows.find((row) => row.stage === 'won')?.leads_in_stage_now ?? 0;
      const lead = (
        await db.query<{ id: number; won: number }>(
          `SELECT l.id, w.id AS won FROM crm.leads l JOIN crm.pipeline_stages s ON s.id = l.stage_id
         JOIN crm.pipeline_stages w ON w.pipeline_id = s.pipeline_id AND w.stage_kind = 'won' WHERE s.stage_kind = 'negotiation' LIMIT 1`,
        )
      ).rows[0];
      if (lead === undefined) return;
      await db.query('UPDATE crm.leads SET stage_id = $2, stage_entered_at = now() WHERE id = $1', [lead.id, lead.won]);
      const after = await summary({ group_by: 'stage' });
      expect(after.rows.find((row) => row.stage === 'won')?.leads_in_stage_now).toBe((wonBefore as number) + 1);
      expect(Date.parse(String(after.freshness.last_change_at))).toBeGreaterThan(
        Date.parse(String(before.freshness.last_change_at)),
      );
    });

    it('groups by month, quarter, team and owner, and filters by vertical', async () => {
      const months = await summary({ group_by: 'month', from_month: '2026-01', to_month: '2026-06' });
      expect(new Set(months.rows.map((row) => row.segment))).toEqual(
        new Set(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']),
      );
      expect(months.rows.every((row) => row.leads_in_stage_now === null)).toBe(true);
      const quarters = await summary({ group_by: 'quarter', from_month: '2026-01', to_month: '2026-06' });
      expect(new Set(quarters.rows.map((row) => row.segment))).toEqual(new Set(['2026-Q1', '2026-Q2']));
      const salonTeams = await summary({ group_by: 'team', vertical: 'salon', from_month: '2025-01' });
      // The international team sells every vertical, so its salon leads form a segment too.
      expect([...new Set(salonTeams.rows.map((row) => row.segment))].sort()).toEqual(
        expect.arrayContaining(['salon-east', 'salon-west']),
      );
      expect(
        salonTeams.rows.every((row) => ['salon-east', 'salon-west', 'international'].includes(String(row.segment))),
      ).toBe(true);
      const owners = await summary({ group_by: 'owner', from_month: '2025-01' });
      expect(owners.rows.every((row) => /\(#\d+\)$|^unassigned$/.test(String(row.segment)))).toBe(true);
    });

    it('matches the stage history and the leads for every grouping, with and without a vertical', async () => {
      const segments: Record<string, string> = {
        stage: `'all'`,
        vertical: 'v.slug',
        team: 't.slug',
        owner: `coalesce(o.full_name || ' (#' || o.id || ')', 'unassigned')`,
        month: `to_char(h.entered_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
        quarter: `to_char(h.entered_at AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`,
      };
      for (const [group_by, segment] of Object.entries(segments)) {
        for (const vertical of [undefined, 'salon']) {
          const label = `${group_by}/${vertical ?? 'all'}`;
          const rows = await allRows({
            group_by,
            from_month: '2025-03',
            to_month: '2026-08',
            ...(vertical && { vertical }),
          });
          const flow = await db.query<{ segment: string; stage: string; entered: number; lost: number; mrr: string }>(
            `SELECT ${segment} AS segment, s.stage_kind AS stage, count(*)::int AS entered,
                    count(*) FILTER (WHERE n.stage_kind = 'lost')::int AS lost, sum(h.estimated_mrr_cents)::text AS mrr
             FROM crm.lead_stage_history h JOIN crm.pipeline_stages s ON s.id = h.stage_id
             JOIN crm.pipelines pl ON pl.id = s.pipeline_id JOIN crm.verticals v ON v.id = pl.vertical_id
             JOIN crm.teams t ON t.id = h.team_id LEFT JOIN crm.owners o ON o.id = h.owner_id
             LEFT JOIN crm.pipeline_stages n ON n.id = h.next_stage_id
             WHERE date_trunc('month', h.entered_at AT TIME ZONE 'UTC') BETWEEN '2025-03-01' AND '2026-08-01'
               AND ($1::text IS NULL OR v.slug = $1) GROUP BY 1, 2`,
            [vertical ?? null],
          );
          expect(rows.map((row) => `${row.segment}/${row.stage}`).sort(), label).toEqual(
            flow.rows.map((row) => `${row.segment}/${row.stage}`).sort(),
          );
          for (const expected of flow.rows) {
            const row = rows.find((r) => r.segment === expected.segment && r.stage === expected.stage)!;
            expect([row.entered, row.lost, String(row.entered_mrr_cents)], label).toEqual([
              expected.entered,
              expected.lost,
              expected.mrr,
            ]);
          }
          if (group_by === 'month' || group_by === 'quarter') {
            expect(rows.every((row) => row.leads_in_stage_now === null)).toBe(true);
            continue;
          }
          const now = await db.query<{ segment: string; stage: string; n: number }>(
            `SELECT ${segment.replace(/h\./g, 'l.')} AS segment, s.stage_kind AS stage, count(*)::int AS n
             FROM crm.leads l JOIN crm.pipeline_stages s ON s.id = l.stage_id
             JOIN crm.pipelines pl ON pl.id = s.pipeline_id JOIN crm.verticals v ON v.id = pl.vertical_id
             JOIN crm.teams t ON t.id = l.team_id LEFT JOIN crm.owners o ON o.id = l.owner_id
             WHERE $1::text IS NULL OR v.slug = $1 GROUP BY 1, 2`,
            [vertical ?? null],
          );
          const inStage = new Map(now.rows.map((row) => [`${row.segment}/${row.stage}`, row.n]));
          for (const row of rows) {
            expect(Number(row.leads_in_stage_now ?? 0), `${label} ${row.segment}/${row.stage}`).toBe(
              inStage.get(`${row.segment}/${row.stage}`) ?? 0,
            );
          }
        }
      }
    });

    it('filters by team and by owner to exactly that group of the team and owner summaries', async () => {
      const period = { from_month: '2025-01', to_month: '2026-11' };
      const numbers = (row: Row) => [row.stage, row.entered, row.lost, row.leads_in_stage_now, row.entered_mrr_cents];
      const byTeam = await allRows({ group_by: 'team', ...period });
      const team = String(byTeam[0]!.segment);
      const oneTeam = await allRows({ group_by: 'stage', team, ...period });
      expect(oneTeam.length).toBeGreaterThan(0);
      expect(oneTeam.map(numbers)).toEqual(byTeam.filter((row) => row.segment === team).map(numbers));
      const byOwner = await allRows({ group_by: 'owner', ...period });
      const owner = String(byOwner.find((row) => row.segment !== 'unassigned')!.segment);
      const ownerId = Number(/\(#(\d+)\)$/.exec(owner)![1]);
      const oneOwner = await allRows({ group_by: 'stage', owner_id: ownerId, ...period });
      expect(oneOwner.length).toBeGreaterThan(0);
      expect(oneOwner.map(numbers)).toEqual(byOwner.filter((row) => row.segment === owner).map(numbers));
      expect(await allRows({ group_by: 'stage', team, owner_id: 999_999, ...period })).toEqual([]);
    });

    it('gives the same flow from the per-team rollup as from the per-owner one', async () => {
      // group_by stage reads reporting.pipeline_stage_monthly_team; group_by owner, reporting.pipeline_stage_monthly.
      const period = { from_month: '2025-01', to_month: '2026-11' };
      const byStage = await summary({ group_by: 'stage', ...period });
      const perOwner = new Map<string, number>();
      let page = await summary({ group_by: 'owner', ...period });
      for (;;) {
        for (const row of page.rows) {
          perOwner.set(String(row.stage), (perOwner.get(String(row.stage)) ?? 0) + Number(row.entered));
        }
        if (page.nextCursor === undefined) break;
        page = await summary({ group_by: 'owner', ...period, cursor: page.nextCursor });
      }
      expect(byStage.rows.length).toBeGreaterThan(0);
      expect(Object.fromEntries(perOwner)).toEqual(
        Object.fromEntries(byStage.rows.map((row) => [String(row.stage), row.entered])),
      );
    });

    it('names the field of a bad month, and of a range that runs backwards', async () => {
      expect((await call(admin, 'unified_pipeline_summary', { from_month: '2026-13' })).error).toMatch(
        /from_month: expected a string matching/,
      );
      expect((await call(admin, 'unified_pipeline_summary', { to_month: '1999-12' })).error).toMatch(
        /to_month: .*between 2000-01 and 2099-12/,
      );
      expect(
        (await call(admin, 'unified_pipeline_summary', { from_month: '2026-06', to_month: '2026-01' })).error,
      ).toMatch(/"from_month" \(2026-06\) is after "to_month" \(2026-01\)/);
      expect((await call(admin, 'unified_pipeline_summary', { group_by: 'planet' })).error).toMatch(
        /group_by: expected one of/,
      );
    });
  });

  describe('per caller', () => {
    it('masks phone numbers and emails without the leads:pii scope, everywhere', async () => {
      const masked = (await search({ query: 'dental' }, agent)).rows;
      const full = (await search({ query: 'dental' }, admin)).rows;
      expect(masked.map((row) => row.id)).toEqual(full.map((row) => row.id));
      for (const row of masked) {
        if (row.phone !== null) expect(row.phone).toMatch(/^\+(1 \*\*\*-\*\*\*-\d\d|\d\d\*+\d\d)$/);
        if (row.email !== null) expect(row.email).toMatch(/^.\*\*\*@/);
      }
      expect(full.some((row) => /^\+\d{8,}$/.test(String(row.phone)))).toBe(true);
      const number = String(full.find((row) => row.phone !== null)!.phone);
      const lead = (await call(agent, 'get_lead_by_phone', { phone: number })).data as {
        leads: { phone_numbers: { number: string }[]; emails: { address: string }[] }[];
      };
      const shown = JSON.stringify(lead.leads);
      expect(shown).not.toContain(number);
      expect(lead.leads[0]!.phone_numbers.every((p) => p.number.includes('***'))).toBe(true);
      expect(lead.leads[0]!.emails.every((e) => e.address.includes('***@'))).toBe(true);
    });

    it('shows a one-team caller only its team, in every tool', async () => {
      const { team, id, e164 } = (
        await db.query<{ team: string; id: number; e164: string }>(
          `SELECT t.slug AS team, l.id, pn.e164 FROM crm.leads l JOIN crm.teams t ON t.id = l.team_id
         JOIN crm.lead_phone_numbers lp ON lp.lead_id = l.id AND lp.label IN ('mobile', 'direct') JOIN crm.phone_numbers pn ON pn.id = lp.phone_number_id
         ORDER BY l.id LIMIT 1`,
        )
      ).rows[0]!;
      const other = (
        await db.query<{ e164: string }>(
          `SELECT pn.e164 FROM crm.leads l JOIN crm.teams t ON t.id = l.team_id JOIN crm.lead_phone_numbers lp ON lp.lead_id = l.id
         JOIN crm.phone_numbers pn ON pn.id = lp.phone_number_id WHERE t.slug <> $1 AND lp.label = 'mobile' LIMIT 1`,
          [team],
        )
      ).rows[0]!.e164;
      const rep = new TestClient(server, { auth: CALLERS.team(team) });
      const expected = (
        await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM crm.leads l JOIN crm.teams t ON t.id = l.team_id WHERE t.slug = $1',
          [team],
        )
      ).rows[0]!.n;
      let seen = 0;
      let cursor: string | undefined;
      do {
        const page = await search({ sort: 'newest', ...(cursor === undefined ? {} : { cursor }) }, rep);
        seen += page.rows.length;
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toBe(expected);
      expect(
        ((await call(rep, 'get_lead_by_phone', { phone: e164 })).data as { leads: Row[] }).leads.map((lead) => lead.id),
      ).toEqual([id]);
      expect(((await call(rep, 'get_lead_by_phone', { phone: other })).data as { matches: number }).matches).toBe(0);
      const teams = (await call(rep, 'unified_pipeline_summary', { group_by: 'team', from_month: '2025-01' })).data as {
        rows: Row[];
      };
      expect(new Set(teams.rows.map((row) => row.segment))).toEqual(new Set([team]));
      // Every grouping of a one-team caller's summary holds that team's numbers only: all of them, per stage.
      const ownTeam = (await allRows({ group_by: 'team', from_month: '2025-01' })).filter(
        (row) => row.segment === team,
      );
      const ownStages = await allRows({ group_by: 'stage', from_month: '2025-01' }, rep);
      const numbers = (row: Row) => [row.stage, row.entered, row.lost, row.leads_in_stage_now, row.entered_mrr_cents];
      expect(ownStages.map(numbers)).toEqual(ownTeam.map(numbers));
      expect(ownStages.length).toBeGreaterThan(0);
      const ownOwners = await allRows({ group_by: 'owner', from_month: '2025-01' }, rep);
      const ownerEntered = ownOwners.reduce((sum, row) => sum + Number(row.entered), 0);
      expect(ownerEntered).toBe(ownTeam.reduce((sum, row) => sum + Number(row.entered), 0));
      // Name search goes through an owner-rights function (so the trigram index applies under RLS): it must apply the same rule.
      const outsider = (
        await db.query<{ id: number; name: string }>(
          'SELECT l.id, l.full_name AS name FROM crm.leads l JOIN crm.teams t ON t.id = l.team_id WHERE t.slug <> $1 ORDER BY l.id LIMIT 1',
          [team],
        )
      ).rows[0]!;
      expect((await search({ query: outsider.name }, admin)).rows.map((row) => row.id)).toContain(outsider.id);
      expect((await search({ query: outsider.name }, rep)).rows.map((row) => row.id)).not.toContain(outsider.id);
      const nobody = new TestClient(server, {
        auth: { subject: 'nobody', scopes: ['leads:read'], claims: { sub: 'nobody' } },
      });
      expect((await search({}, nobody)).rows).toEqual([]);
    });
  });

  describe('SQL injection', () => {
    const attacks = [
      "'; DROP TABLE crm.leads; --",
      "x' OR '1'='1",
      'Robert"); DELETE FROM crm.notes; --',
      '%%%',
      '___',
      'a\\b\\',
      '$1 $$ \' " ;',
      '1; SELECT pg_sleep(10)--',
    ];

    it('treats every string argument as data: search text, phone, cursor, country and enum fields', async () => {
      const before = (
        await db.query<{ leads: number; notes: number }>(
          'SELECT (SELECT count(*)::int FROM crm.leads) AS leads, (SELECT count(*)::int FROM crm.notes) AS notes',
        )
      ).rows[0]!;
      for (const attack of attacks) {
        const found = await call(admin, 'search_leads', { query: attack });
        // Text is data: rows come back only where the text (or, for notes, one of its words) really occurs.
        if (found.error === undefined) {
          for (const row of (found.data as Page).rows)
            expect((row.matched_on as string[]).length, attack).toBeGreaterThan(0);
        } else expect(found.error, attack).toMatch(/query/);
        for (const field of ['vertical', 'stage', 'source', 'plan', 'sort', 'created_from', 'created_to']) {
          expect((await call(admin, 'search_leads', { [field]: attack })).error, `${field}: ${attack}`).toMatch(
            new RegExp(field),
          );
        }
        expect((await call(admin, 'search_leads', { cursor: attack })).error, attack).toMatch(/cursor/);
        expect((await call(admin, 'get_lead_by_phone', { phone: attack })).error, attack).toMatch(/"phone" must be/);
        expect(
          (await call(admin, 'get_lead_by_phone', { phone: '415 555 0123', country: attack })).error,
          attack,
        ).toMatch(/country/);
        for (const field of ['group_by', 'vertical', 'team', 'from_month', 'to_month']) {
          expect(
            (await call(admin, 'unified_pipeline_summary', { [field]: attack })).error,
            `${field}: ${attack}`,
          ).toMatch(new RegExp(field));
        }
      }
      // LIKE wildcards are literal: a search for "%%%" matches no name that lacks them.
      expect((await search({ query: '%%%' })).rows).toEqual([]);
      const after = (
        await db.query<{ leads: number; notes: number }>(
          'SELECT (SELECT count(*)::int FROM crm.leads) AS leads, (SELECT count(*)::int FROM crm.notes) AS notes',
        )
      ).rows[0]!;
      expect(after).toEqual(before);
    });
  });
});
