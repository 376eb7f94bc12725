/**
 * The login role the peers use. It inherits leads_reader, so the same row-level security policy applies to it, and
 * its per-database settings give every connection the same caller claims (every team) and the same custom plans
 * Switchboard's gateway sets per call: the peers run the same SQL, with the same plans, over the same rows.
 */
import pg from 'pg';

export const PEER_ROLE = 'sqlbench_peer';

export async function preparePeerRole(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const database = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db as string;
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PEER_ROLE}') THEN
        CREATE ROLE ${PEER_ROLE} LOGIN INHERIT IN ROLE leads_reader;
      END IF; END $$`);
    const quoted = `"${database.replace(/"/g, '""')}"`;
    await client.query(
      `ALTER ROLE ${PEER_ROLE} IN DATABASE ${quoted} SET request.jwt.claims = '{"sub":"sql-bench","teams":["*"]}'`,
    );
    await client.query(`ALTER ROLE ${PEER_ROLE} IN DATABASE ${quoted} SET plan_cache_mode = force_custom_plan`);
    return database;
  } finally {
    await client.end();
  }
}
