/**
 * The leads reference server for the SQL benchmark, in its own process: PostgreSQL at DATABASE_URL, or PGlite in
 * LEADS_DATA_DIR. Every request carries a bearer token, checked by a verifier that grants the benchmark caller
 * every team and both scopes (the same identity the peers' login role has), so the auth path runs as in production.
 */
import type { AuthInfo } from 'switchboard-mcp';
import { openLeadsDatabase } from '../../../examples/leads/database.js';
import { createLeadsServer } from '../../../examples/leads/leads-server.js';
import { announce } from '../servers/child.js';

const TOKEN = 'sql-bench';
const CALLER: AuthInfo = Object.freeze({
  subject: 'sql-bench',
  scopes: Object.freeze(['leads:read', 'leads:pii']),
  claims: Object.freeze({ sub: 'sql-bench', teams: ['*'] }),
});

const url = process.env.DATABASE_URL || undefined;
const db = await openLeadsDatabase({ url, dataDir: process.env.LEADS_DATA_DIR });
const server = await createLeadsServer(db, { cursorSecret: 'b'.repeat(32) });
const handle = await server.listen({
  port: 0,
  host: '127.0.0.1',
  auth: {
    authorizationServers: ['http://127.0.0.1/'],
    verifier: (token) => {
      if (token !== TOKEN) throw new Error('unknown token');
      return CALLER;
    },
  },
});
announce(`${handle.url}#bearer=${TOKEN}`);
