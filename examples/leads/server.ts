/**
 * The leads reference server: `npm start` (or `npm start -w switchboard-example-leads`).
 * Embedded PGlite under .switchboard/leads, or PostgreSQL when DATABASE_URL is set; migrated and, on first run,
 * seeded (LEADS_SEED_LEADS leads, default 10,000). Streamable HTTP on http://127.0.0.1:3000/mcp protected by the
 * built-in OAuth authorization server on the same port; or --stdio, which runs as the local user.
 */
import { SwitchboardError } from 'switchboard-mcp';
import { protectWithBuiltInServer } from './authorization.js';
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

if (stdio) {
  // stdio carries no OAuth (the spec: credentials come from the environment): the process runs for the local user
  // who launched it, over their own database, so it acts as the local developer (every team, both scopes).
  const handle = await server.stdio({ auth: LOCAL_DEVELOPER });
  await handle.closed;
  server.close();
  await db.close();
} else {
  const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
  const host = process.env.HOST ?? '127.0.0.1';
  // The URL clients use: tokens are bound to it, so behind a proxy set PUBLIC_URL to the public origin.
  const origin = (process.env.PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
    /\/$/,
    '',
  );
  const protection = await protectWithBuiltInServer(db, origin);
  const handle = await server.listen({ port, host, ...protection.serve });
  say(
    `Leads MCP server on ${origin}/mcp (${db.engine}), protected by the built-in authorization server; Ctrl-C to stop`,
  );
  say(`Try it: npx @modelcontextprotocol/inspector (Streamable HTTP, ${origin}/mcp), then sign in in the browser`);
  const stop = () =>
    void handle
      .close()
      .then(() => protection.authorizationServer.close())
      .then(() => db.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
