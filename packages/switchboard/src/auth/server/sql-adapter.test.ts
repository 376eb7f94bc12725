import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../../../../test/support/services.js';
import type { TestDatabase } from '../../testing/test-database.js';
import { createTestDatabase } from '../../testing/test-database.js';
import { migrateAuthServer } from './migrate-auth-server.js';
import { sqlAdapter } from './sql-adapter.js';

describe.each(sqlEngines())('the oidc-provider adapter on $name', ({ url }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ url });
    await migrateAuthServer(db);
  });
  afterAll(() => db?.dispose());

  it('stores, finds by id and uid, expires and destroys', async () => {
    const sessions = sqlAdapter(db)('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' } as never, 60);
    expect(await sessions.find('s1')).toMatchObject({ uid: 'u1', accountId: 'a' });
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'a' });
    await sessions.upsert('s2', { uid: 'u2' } as never, -1);
    expect(await sessions.find('s2')).toBeUndefined();
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('consumes a code once across two adapters racing, and the loser revokes the grant', async () => {
    const first = sqlAdapter(db)('AuthorizationCode');
    const second = sqlAdapter(db)('AuthorizationCode');
    await first.upsert('c1', { grantId: 'g1', clientId: 'x' } as never, 60);
    await sqlAdapter(db)('Grant').upsert('g1', { accountId: 'a' } as never, 60);
    await sqlAdapter(db)('RefreshToken').upsert('r1', { grantId: 'g1' } as never, 60);
    const outcomes = await Promise.allSettled([first.consume('c1'), second.consume('c1')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ error: 'invalid_grant' });
    expect(JSON.stringify(rejected.reason)).toContain('authorization code already consumed');
    expect(await sqlAdapter(db)('Grant').find('g1')).toBeUndefined();
    expect(await sqlAdapter(db)('RefreshToken').find('r1')).toBeUndefined();
  });

  it('marks a consumed row so oidc-provider sees the reuse', async () => {
    const codes = sqlAdapter(db)('AuthorizationCode');
    await codes.upsert('c2', { grantId: 'g2' } as never, 60);
    await codes.consume('c2');
    expect(await codes.find('c2')).toMatchObject({ grantId: 'g2', consumed: expect.any(Number) });
  });
});
