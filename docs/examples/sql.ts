import { Switchboard } from 'switchboard-mcp';
import type { Database } from 'switchboard-mcp/sql';
import { sql, sqlTool } from 'switchboard-mcp/sql';
import { z } from 'zod';

/** The tables the examples read (in an application: migration files applied with migrate()). */
export const SCHEMA = `
  CREATE TABLE leads (
    id int PRIMARY KEY, name text NOT NULL, phone text NOT NULL UNIQUE,
    stage text NOT NULL, created_at timestamptz NOT NULL
  );
  INSERT INTO leads
  SELECT g, 'Lead ' || g, '+1415555' || lpad(g::text, 4, '0'), (ARRAY['new', 'trial', 'customer'])[1 + g % 3],
         timestamptz '2025-01-01 00:00+00' + g * interval '1 day'
    FROM generate_series(1, 45) g;
  CREATE TABLE notes (id int PRIMARY KEY, owner text NOT NULL, body text NOT NULL);
  INSERT INTO notes VALUES (1, 'alice', 'Call back Tuesday'), (2, 'bob', 'Wants the Growth plan');
  ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
  CREATE POLICY own_notes ON notes USING (owner = current_setting('request.jwt.claims', true)::json ->> 'sub');
  CREATE ROLE crm_reader;
  GRANT SELECT ON leads, notes TO crm_reader;`;

export async function createServer(db: Database): Promise<Switchboard> {
  const server = new Switchboard({ name: 'crm', version: '1.0.0' });

  // A lookup: :phone is bound as $1, never spliced into the text. One row, or the not-found message.
  await sqlTool(server, db, {
    name: 'get_lead_by_phone',
    description: 'The lead with this phone number',
    input: {
      phone: z
        .string()
        .regex(/^\+[1-9]\d{7,14}$/)
        .describe('E.164, e.g. +14155550100'),
    },
    sql: 'SELECT id, name, stage, created_at FROM leads WHERE phone = :phone',
    result: 'one',
    notFound: 'No lead has this phone number. Try search_leads with a name.',
    plan: 'generic', // a unique-key lookup: one cached plan is right for every value
    scopes: ['leads:read'],
  });

  // A search: the model picks a sort (mapped to quoted columns), pages of 20 come with signed cursors.
  await sqlTool(server, db, {
    name: 'search_leads',
    description: 'Leads whose name contains the text, newest first or by name',
    input: {
      q: z.string().min(2),
      stage: z.enum(['new', 'trial', 'customer']).optional(),
      sort: z.enum(['newest', 'name']).default('newest'),
    },
    sql: (p) => sql`
      SELECT id, name, stage, created_at FROM leads
       WHERE name ILIKE '%' || ${p.q} || '%' AND (${p.stage}::text IS NULL OR stage = ${p.stage})`,
    orderBy: { sort: { newest: 'created_at DESC, id DESC', name: 'name, id' } },
    paginate: true,
    maxRows: 20,
    scopes: ['leads:read'],
  });

  // Row-level security per caller: the caller's claims enter the transaction, which runs as crm_reader.
  await sqlTool(server, db, {
    name: 'my_notes',
    description: 'The notes the caller owns',
    sql: 'SELECT id, body FROM notes ORDER BY id',
    identity: { role: 'crm_reader' },
  });

  return server;
}
