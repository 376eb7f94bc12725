import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../../../../test/support/services.js';
import type { TestDatabase } from '../../testing/test-database.js';
import { createTestDatabase } from '../../testing/test-database.js';
import { UserError } from './errors.js';
import { migrateAuthServer } from './migrate-auth-server.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { addUser, checkPassword, ensureDemoUser, listUsers, removeUser } from './users.js';

describe('password hashes', () => {
  it('are salted scrypt, verify the right password only, and refuse malformed hashes', async () => {
    const one = await hashPassword('hunter2hunter2');
    const two = await hashPassword('hunter2hunter2');
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('hunter2hunter2', one)).toBe(true);
    expect(await verifyPassword('hunter2hunter3', one)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$0$8$1$a$b')).toBe(false);
  });
});

describe.each(sqlEngines())('users on $name', ({ url }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ url });
    await migrateAuthServer(db);
  });
  afterAll(() => db?.dispose());

  it('creates a demo user with a one-time password on the first run only', async () => {
    const demo = await ensureDemoUser(db);
    expect(demo?.username).toBe('demo');
    expect(demo?.password).toMatch(/^[\w-]{24}$/);
    expect(await checkPassword(db, 'demo', demo!.password)).toMatchObject({ username: 'demo' });
    expect(await ensureDemoUser(db)).toBeUndefined();
  });

  it('adds, lists, checks and removes users; usernames ignore case', async () => {
    const bob = await addUser(db, { username: 'Bob', password: 'a long password' });
    expect(bob.username).toBe('bob');
    expect((await listUsers(db)).map((u) => u.username)).toEqual(['demo', 'bob']);
    expect(await checkPassword(db, 'BOB', 'a long password')).toMatchObject({ id: bob.id });
    expect(await checkPassword(db, 'bob', 'wrong password')).toBeUndefined();
    expect(await checkPassword(db, 'nobody', 'a long password')).toBeUndefined();
    expect(await removeUser(db, 'bob')).toBe(true);
    expect(await removeUser(db, 'bob')).toBe(false);
    expect(await checkPassword(db, 'bob', 'a long password')).toBeUndefined();
  });

  it("keeps a user's own claims, and refuses claims the server sets itself", async () => {
    const gina = await addUser(db, {
      username: 'gina',
      password: 'a long password',
      claims: { teams: ['emea', 'apac'] },
    });
    expect(gina.claims).toEqual({ teams: ['emea', 'apac'] });
    expect((await listUsers(db)).find((user) => user.username === 'gina')?.claims).toEqual({ teams: ['emea', 'apac'] });
    expect((await checkPassword(db, 'gina', 'a long password'))?.claims).toEqual({ teams: ['emea', 'apac'] });
    await expect(addUser(db, { username: 'frank', claims: { sub: 'root' } })).rejects.toThrow(
      'The claim "sub" is set by the server and cannot be given',
    );
    await expect(addUser(db, { username: 'frank', claims: { scope: 'leads' } })).rejects.toThrow(UserError);
  });

  it('refuses duplicates, bad usernames and short passwords with a clear error', async () => {
    await addUser(db, { username: 'carol', password: 'another password' });
    await expect(addUser(db, { username: 'carol', password: 'another password' })).rejects.toThrow(
      'User "carol" already exists',
    );
    await expect(addUser(db, { username: 'no spaces', password: 'another password' })).rejects.toThrow(UserError);
    await expect(addUser(db, { username: 'dave', password: 'short' })).rejects.toThrow('8 to 1024 characters');
    const reset = await addUser(db, { username: 'carol' }, { replace: true });
    expect(await checkPassword(db, 'carol', reset.password)).toBeDefined();
  });

  it('removing a user deletes their grants, sessions and tokens', async () => {
    const erin = await addUser(db, { username: 'erin', password: 'erin password' });
    await db.query(
      "INSERT INTO auth_oidc_payloads (model, id, payload, grant_id) VALUES ('RefreshToken', 'rt1', $1::jsonb, 'g1')",
      [JSON.stringify({ accountId: erin.id, grantId: 'g1' })],
    );
    await removeUser(db, 'erin');
    expect((await db.query("SELECT 1 FROM auth_oidc_payloads WHERE id = 'rt1'")).rows).toEqual([]);
  });
});
