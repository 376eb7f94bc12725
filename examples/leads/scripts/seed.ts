/**
 * Seeds the leads database at any scale: `npm run seed -w switchboard-example-leads -- --leads 1000000`.
 * PostgreSQL when DATABASE_URL is set, else PGlite under --data-dir (default .switchboard/leads).
 */
import { parseArgs } from 'node:util';
import { openLeadsDatabase } from '../database.js';
import { progressBar, seedLeadsDatabase } from '../seed/index.js';

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    anchor: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const leads = Number(values.leads);
if (!Number.isSafeInteger(leads) || leads < 1) {
  console.error(`--leads must be a positive whole number (got "${values.leads}")`);
  process.exit(2);
}
const url = process.env.DATABASE_URL || undefined;
const db = await openLeadsDatabase({ url, dataDir: values['data-dir'] });
const started = performance.now();
const bar = progressBar(`Seeding ${leads.toLocaleString('en-US')} leads`);
try {
  const result = await seedLeadsDatabase(db, {
    leads,
    onProgress: bar,
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
    ...(values.anchor === undefined ? {} : { anchor: values.anchor }),
  });
  bar.end();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.error(
    result.seeded
      ? `Seeded ${result.leads.toLocaleString('en-US')} leads (${result.rows.toLocaleString('en-US')} rows) on ${db.engine} in ${seconds} s`
      : 'Already seeded: nothing written (drop the database or delete the PGlite directory to seed again)',
  );
} finally {
  await db.close();
}
