/**
 * The leads reference server: `npm start -w switchboard-example-leads`.
 * Embedded PGlite under .switchboard/leads, or PostgreSQL when DATABASE_URL is set; migrated and, on first run,
 * seeded (LEADS_SEED_LEADS leads, default 10,000). Streamable HTTP on http://127.0.0.1:3000/mcp, or --stdio.
 */
import { type AuthInfo, SwitchboardError } from 'switchboard-mcp';
import { LOCAL_DEVELOPER } from './caller.js';
import { openLeadsDatabase } from './database.js';
import { createLeadsServer } from './leads-server.js';
import { isSeeded, progressBar, seedLeadsDatabase } from './seed/index.js';

const stdio = process.argv.includes('--stdio') || process.env.MCP_TRANSPORT === 'stdio';
// Under --stdio, stdout carries the protocol: everything this script says goes to stderr.
const say = (line: string) => process.stderr.write(`${line}\n`);

const url = process.env.DATABASE_URL || undefined;
const db = await openLeadsDatabase({ url, dataDir: process.env.LEADS_DATA_DIR }).catch((error: unknown) => {
  // A database that is down, or a migration that cannot apply, is the operator's to fix: say so, without a stack.
  if (!(error instanceof SwitchboardError)) throw error;
  say(`The leads server cannot start: ${error.message}`);
  process.exit(1);
});
if (!(await isSeeded(db))) {
  const leads = Number(process.env.LEADS_SEED_LEADS ?? 10_000);
  say(
    `First run: seeding ${leads.toLocaleString('en-US')} synthetic leads into ${url === undefined ? 'PGlite' : 'PostgreSQL'} (once)`,
  );
  const bar = progressBar('Seeding');
  const started = performance.now();
  const result = await seedLeadsDatabase(db, { leads, onProgress: bar });
  bar.end();
  say(`Seeded ${result.rows.toLocaleString('en-US')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const server = await createLeadsServer(db, { cursorSecret: process.env.LEADS_CURSOR_SECRET });

// Authorization goes here. Until the built-in authorization server protects this endpoint, every request runs as
// the local developer (all teams, leads:read and leads:pii). Replace `caller` with token verification (an
// `authenticate` hook that returns each token's AuthInfo, or an AuthChallenge) before serving anything real.
const caller = (): AuthInfo => LOCAL_DEVELOPER;

if (stdio) {
  const handle = await server.stdio({ auth: caller() });
  await handle.closed;
  server.close();
  await db.close();
} else {
  const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
  const handle = await server.listen({ port, host: process.env.HOST ?? '127.0.0.1', authenticate: caller });
  say(`Leads MCP server on ${handle.url} (${db.engine}); Ctrl-C to stop`);
  const stop = () =>
    void handle
      .close()
      .then(() => db.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
