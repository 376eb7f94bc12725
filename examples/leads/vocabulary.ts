import type { Queryable } from 'switchboard-mcp/sql';

/** The values filters accept, read from the reference tables once at start so the tool schemas list them. */
export interface Vocabulary {
  readonly verticals: [string, ...string[]];
  readonly stageKinds: [string, ...string[]];
  readonly sources: [string, ...string[]];
  readonly plans: [string, ...string[]];
  readonly teams: [string, ...string[]];
}

/** Reads the filter values from the reference tables. */
export async function readVocabulary(db: Queryable): Promise<Vocabulary> {
  const list = async (sql: string): Promise<[string, ...string[]]> => {
    const { rows } = await db.query<{ value: string }>(sql);
    if (rows.length === 0) throw new Error(`The leads database has no reference rows for: ${sql}`);
    return rows.map((row) => row.value) as [string, ...string[]];
  };
  return {
    verticals: await list('SELECT slug AS value FROM crm.verticals ORDER BY id'),
    stageKinds: await list(
      'SELECT stage_kind AS value FROM crm.pipeline_stages GROUP BY stage_kind ORDER BY min(position)',
    ),
    sources: await list('SELECT slug AS value FROM crm.lead_sources ORDER BY id'),
    plans: await list('SELECT slug AS value FROM billing.plans ORDER BY id'),
    teams: await list('SELECT slug AS value FROM crm.teams ORDER BY id'),
  };
}
