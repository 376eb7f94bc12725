import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { postgresUrl } from '../../../../test/support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../../../../test/support/sql-fixture.js';
import { Switchboard } from '../server/switchboard.js';
import { TestClient } from '../testing/test-client.js';
import type { TestDatabase } from '../testing/test-database.js';
import type { Database } from './database.js';
import { openDatabase } from './database.js';
import type { PlanMode } from './query-options.js';
import { sqlTool } from './sql-tool.js';

/**
 * Plan handling is observable on PostgreSQL: pg_prepared_statements counts the generic and custom plans each named
 * statement of this connection has used. One pooled connection, so the calls and the count share it.
 */
describe.skipIf(postgresUrl() === undefined)('plan handling on PostgreSQL', () => {
  let db: TestDatabase;
  let one: Database;
  let client: TestClient;

  beforeAll(async () => {
    db = await contactsDatabase(postgresUrl());
    one = await openDatabase({ url: db.url, poolSize: 1 });
    const server = new Switchboard({ name: 'plans', version: '1.0.0' });
    for (const plan of ['custom', 'generic', 'auto'] as const) {
      await sqlTool(server, one, {
        name: `by_owner_${plan}`,
        description: 'Contacts of an owner',
        input: { owner: z.string() },
        // Distinct texts, so that each mode has its own prepared statement to count.
        sql: `SELECT id, '${plan}' AS mode FROM contacts WHERE owner = :owner`,
        plan,
      });
    }
    client = new TestClient(server);
  }, SQL_SETUP_TIMEOUT);
  afterAll(async () => {
    await one.close();
    await db.dispose();
  });

  const plansOf = async (mode: PlanMode) =>
    (
      await one.query<{ generic: number; custom: number }>(
        "SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' AND name LIKE 'sb\\_%'",
        [`'${mode}' AS mode`],
      )
    ).rows[0];

  const callEightTimes = async (mode: PlanMode) => {
    for (let i = 0; i < 8; i++) {
      const result = await client.callTool(`by_owner_${mode}`, { owner: i % 2 === 0 ? 'alice' : 'bob' });
      expect((result.structuredContent as { rows: unknown[] }).rows).toHaveLength(25);
    }
  };

  it('custom: parsed once, planned for the values on every call', async () => {
    await callEightTimes('custom');
    expect(await plansOf('custom')).toEqual({ generic: 0, custom: 8 });
  });

  it('generic: one plan for every value', async () => {
    await callEightTimes('generic');
    expect(await plansOf('generic')).toEqual({ generic: 8, custom: 0 });
  });

  it("auto: PostgreSQL's rule, five custom plans before it may switch", async () => {
    await callEightTimes('auto');
    const plans = await plansOf('auto');
    expect(plans?.custom).toBeGreaterThanOrEqual(5);
    expect((plans?.custom ?? 0) + (plans?.generic ?? 0)).toBe(8);
  });
});
