import type { TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createLeadsTestDatabase } from './test-database.js';

/** Runs `sql` the way the gateway runs a tool: read-only, as leads_reader, with these token claims. */
async function asCaller(
  db: TestDatabase,
  claims: Record<string, unknown> | undefined,
  sql: string,
): Promise<Record<string, unknown>[]> {
  return db.transaction(
    async (tx) => {
      if (claims !== undefined)
        await tx.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
      await tx.query(`SELECT set_config('role', 'leads_reader', true)`);
      return (await tx.query(sql)).rows;
    },
    { readOnly: true },
  );
}

describe.each(sqlEngines())('row-level security on $name', ({ url }) => {
  let db: TestDatabase;
  let perTeam: Map<string, number>;
  beforeAll(async () => {
    db = await createLeadsTestDatabase(url);
    const { rows } = await db.query<{ slug: string; n: number }>(
      'SELECT t.slug, count(l.id)::int AS n FROM crm.teams t LEFT JOIN crm.leads l ON l.team_id = t.id GROUP BY t.slug',
    );
    perTeam = new Map(rows.map((row) => [row.slug, row.n]));
  }, 120_000);
  afterAll(() => db?.dispose());

  const count = async (claims: Record<string, unknown> | undefined, table = 'crm.leads') =>
    Number((await asCaller(db, claims, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

  it('shows a caller only the leads of the team its token names', async () => {
    const team = [...perTeam].find(([, n]) => n > 0)![0];
    expect(await count({ sub: 'a', team })).toBe(perTeam.get(team));
    const teams = (
      await asCaller(
        db,
        { sub: 'a', team },
        'SELECT DISTINCT t.slug FROM crm.leads l JOIN crm.teams t ON t.id = l.team_id',
      )
    ).map((row) => row.slug);
    expect(teams).toEqual([team]);
  });

  it('adds up the teams of a "teams" claim, and "*" means every team', async () => {
    const [a, b] = [...perTeam.keys()].filter((slug) => (perTeam.get(slug) ?? 0) > 0);
    expect(await count({ teams: [a, b] })).toBe(perTeam.get(a!)! + perTeam.get(b!)!);
    expect(await count({ teams: ['*'] })).toBe(300);
  });

  it('fails closed: no claims, no team claim, an unknown team or a wrongly typed claim see nothing', async () => {
    expect(await count(undefined)).toBe(0);
    expect(await count({ sub: 'a' })).toBe(0);
    expect(await count({ team: 'no-such-team' })).toBe(0);
    expect(await count({ team: ['healthcare-east'] })).toBe(0);
    expect(await count({ teams: 'healthcare-east' })).toBe(0);
  });

  it("filters the pipeline rollups by the same rule, and joins through leads hide other teams' numbers", async () => {
    const team = [...perTeam].find(([, n]) => n > 0)![0];
    const snapshot = await asCaller(
      db,
      { team },
      `SELECT DISTINCT t.slug FROM reporting.pipeline_stage_snapshot s JOIN crm.teams t ON t.id = s.team_id`,
    );
    expect(snapshot.map((row) => row.slug)).toEqual([team]);
    const monthly = await asCaller(
      db,
      { team },
      `SELECT DISTINCT t.slug FROM reporting.pipeline_stage_monthly m JOIN crm.teams t ON t.id = m.team_id`,
    );
    expect(monthly.map((row) => row.slug)).toEqual([team]);
    const reachable = await asCaller(
      db,
      { team },
      `SELECT count(DISTINCT lp.lead_id) AS n FROM crm.lead_phone_numbers lp JOIN crm.leads l ON l.id = lp.lead_id`,
    );
    expect(Number(reachable[0]!.n)).toBe(perTeam.get(team));
  });

  it('applies the rule to every pipeline rollup: "*" skips the per-row team check, other claims keep it', async () => {
    const [a, b] = [...perTeam.keys()].filter((slug) => (perTeam.get(slug) ?? 0) > 0);
    const rollups = [
      'reporting.pipeline_stage_monthly',
      'reporting.pipeline_stage_monthly_team',
      'reporting.pipeline_stage_snapshot',
    ];
    for (const rollup of rollups) {
      const perRollupTeam = new Map(
        (
          await db.query<{ slug: string; n: number }>(
            `SELECT t.slug, count(*)::int AS n FROM ${rollup} r JOIN crm.teams t ON t.id = r.team_id GROUP BY t.slug`,
          )
        ).rows.map((row) => [row.slug, row.n]),
      );
      const all = [...perRollupTeam.values()].reduce((sum, n) => sum + n, 0);
      expect(all).toBeGreaterThan(0);
      expect(await count({ teams: ['*'] }, rollup)).toBe(all);
      expect(await count({ team: '*' }, rollup)).toBe(all);
      expect(await count({ team: a }, rollup)).toBe(perRollupTeam.get(a!) ?? 0);
      expect(await count({ teams: [a, b] }, rollup)).toBe((perRollupTeam.get(a!) ?? 0) + (perRollupTeam.get(b!) ?? 0));
      // "*" as one of several teams is every team too; as a plain string or a wrongly typed claim it is nothing.
      expect(await count({ teams: [a, '*'] }, rollup)).toBe(all);
      expect(await count({ teams: '*' }, rollup)).toBe(0);
      expect(await count(undefined, rollup)).toBe(0);
    }
  });

  it('leaves the role read-only: a write is refused even without the read-only transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('role', 'leads_reader', true)`);
        await tx.query(`UPDATE crm.leads SET score = 1 WHERE id = 1`);
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
