import type { Database, Queryable } from 'switchboard-mcp/sql';
import { generateAccount } from './accounts.js';
import { seedCatalog } from './catalog.js';
import type { Company } from './companies.js';
import { Ids, type SeedContext } from './context.js';
import { generateEngagement } from './engagement.js';
import { ColumnTypes, RowBuffer } from './insert-rows.js';
import { reached } from './lead-journey.js';
import { generateLead } from './leads.js';
import { generateOperations } from './operations/index.js';
import type { ProgressReporter } from './progress.js';
import { Random } from './random.js';
import { TABLE_ORDER } from './table-order.js';
import { generateLeadProfile } from './vertical-profiles.js';

export type { ProgressReporter } from './progress.js';
export { progressBar } from './progress.js';

/** How much to seed, and from which seed and anchor day. */
export interface SeedOptions {
  /** How many leads (default 10,000; 1,000,000 takes minutes on PostgreSQL). */
  leads?: number;
  /** The faker and generator seed (default 20_261_130): the same seed, count and anchor give the same rows. */
  seed?: number;
  /** The day the data ends on (default 2026-11-30): leads are created over the two years before it. */
  anchor?: string;
  /** Accounts that also get operational data in their vertical's schema (default 400). */
  detailedAccounts?: number;
  onProgress?: ProgressReporter;
}

/** What a seed run wrote. */
export interface SeedResult {
  /** False when the database was already seeded and nothing was written. */
  readonly seeded: boolean;
  readonly leads: number;
  readonly rows: number;
}

const GENERATOR = 'switchboard-example-leads/1';
const LEADS_PER_FLUSH = 2_000;

/**
 * Fills the leads database with deterministic synthetic data, in one transaction (a run that fails leaves nothing
 * behind, and the next start seeds again). Does nothing when a finished load is already recorded.
 */
export async function seedLeadsDatabase(db: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const leadCount = options.leads ?? 10_000;
  const seed = options.seed ?? 20_261_130;
  const anchor = new Date(`${options.anchor ?? '2026-11-30'}T00:00:00Z`);
  if (!Number.isSafeInteger(leadCount) || leadCount < 1) throw new RangeError('leads must be a positive integer');
  if (Number.isNaN(anchor.getTime())) throw new RangeError('anchor must be a date such as 2026-11-30');
  if (await isSeeded(db)) return { seeded: false, leads: 0, rows: 0 };
  let rows = 0;
  await db.transaction(async (tx) => {
    const load = await tx.query<{ id: number }>(
      `INSERT INTO reporting.data_loads (generator, faker_seed, lead_count, anchor_date, started_at)
       VALUES ($1, $2, $3, $4, now()) RETURNING id`,
      [GENERATOR, seed, leadCount, anchor.toISOString().slice(0, 10)],
    );
    const bulk = await bulkLoadMode(tx);
    const rng = new Random(seed);
    const catalog = await seedCatalog(tx, rng, anchor, leadCount);
    const ids = new Ids();
    ids.continueAfter('voice.telephony_numbers', catalog.lastTelephonyNumberId);
    const buffer = new RowBuffer(TABLE_ORDER);
    const ctx: SeedContext = {
      rng,
      catalog,
      ids,
      rows: buffer,
      anchorMs: anchor.getTime(),
      detailedAccounts: options.detailedAccounts ?? 400,
    };
    const types = new ColumnTypes();
    let previous: Company | undefined;
    for (let id = 1; id <= leadCount; id++) {
      const lead = generateLead(ctx, id, previous);
      previous = lead.company;
      generateEngagement(ctx, lead);
      generateLeadProfile(ctx, lead);
      const accountId = generateAccount(ctx, lead);
      if (accountId !== undefined) generateOperations(ctx, lead, accountId, reached(lead.visits, 'trial')!.enteredAt);
      if (id % LEADS_PER_FLUSH === 0 || id === leadCount) {
        rows += buffer.size;
        await buffer.flush(tx, types);
        options.onProgress?.(id, leadCount);
      }
    }
    await moveSequences(tx, ids);
    if (bulk) {
      await tx.query('SELECT reporting.rebuild_pipeline_rollups()');
      await tx.query('SELECT crm.rebuild_lead_search()');
    }
    await tx.query('UPDATE reporting.data_loads SET finished_at = now() WHERE id = $1', [load.rows[0]!.id]);
  });
  // Fresh statistics, so the first queries get the index plans they will have later; and a vacuum, because the load
  // leaves every lead's first version dead (the search copies are filled by an UPDATE at the end) and the GIN
  // indexes' pending lists full: at 100,000 leads a trigram search read them for 65 ms before, 7 ms after.
  await db.exec('VACUUM (ANALYZE)');
  return { seeded: true, leads: leadCount, rows };
}

/**
 * As a superuser (PGlite's user, a local PostgreSQL's postgres), the load skips foreign-key and rollup triggers for
 * this transaction (about a third faster) and rebuilds the rollups and the leads' search copies at the end; the generator's foreign keys are
 * checked by the tests instead. Other users load with every trigger on.
 */
async function bulkLoadMode(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  if (rows[0]?.rolsuper !== true) return false;
  await tx.exec('SET LOCAL session_replication_role = replica');
  return true;
}

/** Whether a finished synthetic load is recorded. */
export async function isSeeded(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM reporting.data_loads WHERE finished_at IS NOT NULL LIMIT 1');
  return rows.length > 0;
}

/** The seed chose ids itself; identity columns must continue after them. */
async function moveSequences(db: Queryable, ids: Ids): Promise<void> {
  for (const [table, last] of ids.entries()) {
    await db.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [table, last]);
  }
}
