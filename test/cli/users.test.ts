import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../support/services.js';
import { assertBuilt, cliEnv, runCli } from './cli-process.js';

/** `switchboard users` against the built-in AS's own tables, in PGlite and (with DATABASE_URL) in PostgreSQL. */
const DATABASE = `switchboard_cli_users_${process.pid}`;
let scratch: string;

beforeAll(() => {
  assertBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-users-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(sqlEngines())('switchboard users in $name', { timeout: 180_000 }, ({ name, url }) => {
  let flags: string[];
  const env = cliEnv({ DATABASE_URL: '' });

  beforeAll(async () => {
    if (url === undefined) {
      flags = ['--data-dir', join(scratch, 'data')];
      return;
    }
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const own = new URL(url);
    own.pathname = `/${DATABASE}`;
    flags = ['--database-url', own.toString()];
  }, 60_000);

  afterAll(async () => {
    if (url === undefined) return;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
  });

  it('adds a user with a random password and claims, lists it, and removes it', async () => {
    const added = await runCli(
      ['users', 'add', 'Ada', '--claim', 'teams=["emea"]', '--claim', 'tenant=acme', ...flags],
      {
        env,
      },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/✔ Added user ada \([0-9a-f-]{36}\)\n {2}password: \S{20,}\n/);
    const listed = await runCli(['users', 'list', '--json', ...flags], { env });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ username: 'ada', claims: { teams: ['emea'], tenant: 'acme' } }]);
    const table = await runCli(['users', 'list', ...flags], { env });
    expect(table.stdout).toMatch(/^username +id +created +claims\nada /);
    const removed = await runCli(['users', 'remove', 'ADA', ...flags], { env });
    expect(removed.stdout).toBe('Removed user ada\n');
    expect((await runCli(['users', 'list', ...flags], { env })).stdout).toMatch(/No users yet/);
  });

  it(`refuses what it cannot do, with a clear message and exit 1 (${name})`, async () => {
    const first = await runCli(['users', 'add', 'bob', '--password', 'correct horse', ...flags], { env });
    expect(first.stdout).not.toContain('password:');
    const again = await runCli(['users', 'add', 'bob', ...flags], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('User "bob" already exists');
    const short = await runCli(['users', 'add', 'carol', '--password', 'short', ...flags], { env });
    expect(short.stderr).toContain('A password needs 8');
    const missing = await runCli(['users', 'remove', 'nobody', ...flags], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no user "nobody"');
    const reserved = await runCli(['users', 'add', 'dan', '--claim', 'sub=x', ...flags], { env });
    expect(reserved.code).toBe(1);
    const badJson = await runCli(['users', 'add', 'erin', '--claims', '{nope', ...flags], { env });
    expect(badJson.code).toBe(2);
  });
});
