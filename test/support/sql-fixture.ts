import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';

/** Starting an embedded PGlite takes seconds, many more on a machine busy with other test files. */
export const SQL_SETUP_TIMEOUT = 90_000;

/**
 * A small contacts table for the SQL gateway's tests, the same on PGlite and PostgreSQL: 50 rows over two owners,
 * with every common column type, and a `notes` table that carries a row-level security policy.
 */
export async function contactsDatabase(url: string | undefined): Promise<TestDatabase> {
  const db = await createTestDatabase({ url });
  await db.exec(`
    CREATE TYPE contact_stage AS ENUM ('new', 'trial', 'customer');
    CREATE TABLE contacts (
      id int PRIMARY KEY,
      name text NOT NULL,
      phone text NOT NULL,
      owner text NOT NULL,
      stage contact_stage NOT NULL,
      created_at timestamptz NOT NULL,
      born date,
      score numeric(6, 2),
      visits bigint NOT NULL,
      vip boolean NOT NULL,
      tags text[] NOT NULL,
      meta jsonb
    );
    INSERT INTO contacts
    SELECT g, 'Contact ' || g, '+1415555' || lpad(g::text, 4, '0'), CASE WHEN g % 2 = 0 THEN 'alice' ELSE 'bob' END,
           (ARRAY['new', 'trial', 'customer'])[1 + g % 3]::contact_stage,
           timestamptz '2024-01-01 00:00:00.123456+00' + (g / 2) * interval '1 hour',
           date '1990-01-01' + g, g * 1.25, g * 1000000000000, g % 5 = 0, ARRAY['t' || g % 4],
           jsonb_build_object('n', g)
      FROM generate_series(1, 50) g;
    CREATE TABLE notes (id int PRIMARY KEY, owner text NOT NULL, body text NOT NULL);
    INSERT INTO notes VALUES (1, 'alice', 'alice note'), (2, 'bob', 'bob note'), (3, 'alice', 'second alice note');
    ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_notes ON notes USING (owner = current_setting('request.jwt.claims', true)::json ->> 'sub');
  `);
  return db;
}
