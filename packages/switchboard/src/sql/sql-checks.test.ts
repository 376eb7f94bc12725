import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqlEngines } from '../../../../test/support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../../../../test/support/sql-fixture.js';
import { Switchboard } from '../server/switchboard.js';
import { captureLogs } from '../testing/capture-logs.js';
import { TestClient } from '../testing/test-client.js';
import type { TestDatabase } from '../testing/test-database.js';
import { SqlCheckError } from './sql-check-error.js';
import type { SqlToolOptions } from './sql-tool.js';
import { sqlTool } from './sql-tool.js';

describe.each(sqlEngines())('SQL checked at registration on $name', ({ url }) => {
  let db: TestDatabase;
  const server = () => new Switchboard({ name: 'checks', version: '1.0.0' });
  const register = (options: Record<string, unknown>) =>
    sqlTool(server(), db, { description: 'test', ...options } as SqlToolOptions);

  beforeAll(async () => {
    db = await contactsDatabase(url);
  }, SQL_SETUP_TIMEOUT);
  afterAll(() => db.dispose());

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['a second statement', { sql: 'SELECT id FROM contacts; DROP TABLE contacts' }, /cannot insert multiple commands/],
    ['COMMIT then a write', { sql: 'COMMIT; DELETE FROM contacts' }, /cannot insert multiple commands/],
    [
      'a column typo',
      { sql: 'SELECT nmae FROM contacts' },
      /column "nmae" does not exist.*at: SELECT nmae FROM contacts/,
    ],
    ['a table typo', { sql: 'SELECT id FROM contcts' }, /relation "contcts" does not exist/],
    ['a write', { sql: 'DELETE FROM contacts RETURNING id' }, /only a read-only query can be a SQL tool/],
    [
      'a data-modifying CTE',
      { sql: 'WITH gone AS (DELETE FROM contacts RETURNING id) SELECT id FROM gone' },
      /only a read-only query/,
    ],
    ['a statement without rows', { sql: 'UPDATE contacts SET name = name' }, /returns no rows/],
    ['a utility statement', { sql: 'SET ROLE postgres' }, /returns no rows/],
    ['an unnamed column', { sql: 'SELECT id + 1 FROM contacts' }, /result column 1 has no name; give it one with AS/],
    ['two columns of one name', { sql: 'SELECT id, id FROM contacts' }, /two result columns are named "id"/],
    [
      'a string field for an integer parameter',
      { input: { id: z.string() }, sql: 'SELECT name FROM contacts WHERE id = :id' },
      /:id is integer in the SQL, but input field "id" is a string; declare it as z.number\(\).int\(\)/,
    ],
    [
      'an unused input field',
      { input: { id: z.number(), extra: z.string() }, sql: 'SELECT name FROM contacts WHERE id = :id' },
      /input field "extra" is not used in the SQL/,
    ],
    ['an unknown parameter', { sql: 'SELECT name FROM contacts WHERE id = :id' }, /uses :id, which is neither/],
    ['a positional placeholder', { sql: 'SELECT name FROM contacts WHERE id = $1' }, /positional placeholder \$1/],
    [
      'an untyped parameter',
      { input: { x: z.string() }, sql: 'SELECT 1 AS one WHERE :x IS NULL' },
      /could not determine data type of parameter :x/,
    ],
    ['orderBy on a missing column', { sql: 'SELECT id FROM contacts', orderBy: 'name' }, /orderBy names "name"/],
    ['orderBy with an expression', { sql: 'SELECT id FROM contacts', orderBy: 'random()' }, /orderBy "random\(\)"/],
    ['pagination without order', { sql: 'SELECT id FROM contacts', paginate: true }, /paginate needs orderBy/],
    [
      'an orderBy choice without its enum',
      { input: { sort: z.string() }, sql: 'SELECT id FROM contacts', orderBy: { sort: { a: 'id' } } },
      /must be an input field z.enum\(\['a'\]\)/,
    ],
    ['a zero row limit', { sql: 'SELECT id FROM contacts', maxRows: 0 }, /maxRows must be a positive integer/],
    ['an unknown plan mode', { sql: 'SELECT id FROM contacts', plan: 'fast' }, /plan must be custom, generic or auto/],
  ];

  it.each(refusals)('refuses %s, naming the tool', async (_what, options, message) => {
    const attempt = register({ name: 'bad_tool', ...options });
    await expect(attempt).rejects.toThrow(SqlCheckError);
    await expect(register({ name: 'bad_tool', ...options })).rejects.toThrow(/^SQL tool "bad_tool": /);
    await expect(register({ name: 'bad_tool', ...options })).rejects.toThrow(message);
  });

  it('left every table as it was', async () => {
    expect((await db.query('SELECT count(*)::int AS n FROM contacts')).rows).toEqual([{ n: 50 }]);
  });

  it('cannot be switched back to read-write by the statement itself', async () => {
    const logs = captureLogs('error');
    const s = new Switchboard({ name: 'checks', version: '1.0.0', logger: logs.logger });
    await sqlTool(s, db, {
      name: 'flip',
      description: 'test',
      sql: "SELECT set_config('transaction_read_only', 'off', true) AS flipped",
    });
    expect((await new TestClient(s).callTool('flip')).isError).toBe(true);
    expect(logs.lines[0]?.err?.message).toMatch(/read-write mode must be set before any query/);
  });

  it('refuses a write that only happens inside a function, at call time, in the read-only transaction', async () => {
    await db.exec(
      "CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS $$ INSERT INTO notes VALUES (99, 'x', 'x') RETURNING id $$",
    );
    const logs = captureLogs('error');
    const s = new Switchboard({ name: 'checks', version: '1.0.0', logger: logs.logger });
    await sqlTool(s, db, { name: 'sneaky', description: 'test', sql: 'SELECT sneaky() AS id' });
    const result = await new TestClient(s).callTool('sneaky');
    expect(result.isError).toBe(true);
    expect(logs.lines[0]?.err?.message).toMatch(/read-only transaction/);
    expect((await db.query('SELECT count(*)::int AS n FROM notes WHERE id = 99')).rows).toEqual([{ n: 0 }]);
  });
});
