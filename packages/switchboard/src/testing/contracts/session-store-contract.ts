import assert from 'node:assert/strict';
import { newSessionState } from '../../protocol/session.js';
import type { SessionStore } from '../../stores/session-store.js';
import type { ContractRunner, StoreFactory } from './runner.js';
import { uniqueId, withStore } from './runner.js';

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}

/**
 * What every `SessionStore` must do for 2025-era sessions to work on any instance: keep state as written,
 * round-trip it as JSON, apply saves, forget deleted sessions, tolerate `touch` of unknown ids, and (with
 * `lastSeen`) tell when a session was last used.
 */
export function sessionStoreContract(name: string, factory: StoreFactory<SessionStore>, runner: ContractRunner): void {
  const { describe, it } = runner;
  describe(`SessionStore contract: ${name}`, () => {
    it('returns what was created, as plain data', () =>
      withStore(factory, async (store) => {
        const id = uniqueId('session');
        const state = newSessionState('2025-11-25', { sampling: {} }, { name: 'client', version: '1' });
        state.principal = 'sub:alice';
        await store.create(id, state);
        // Compared as JSON: a networked store keeps what JSON keeps (no undefined fields).
        assert.deepEqual(asJson(await store.get(id)), asJson(state));
      }));

    it('answers undefined for an id it never saw', () =>
      withStore(factory, async (store) => {
        assert.equal(await store.get(uniqueId('missing')), undefined);
      }));

    it('keeps what save() wrote', () =>
      withStore(factory, async (store) => {
        const id = uniqueId('session');
        const state = newSessionState('2025-06-18', {}, undefined);
        await store.create(id, state);
        await store.save(id, { ...state, logLevel: 'warning', subscriptions: ['memo://a'], initialized: true });
        const saved = await store.get(id);
        assert.equal(saved?.logLevel, 'warning');
        assert.deepEqual(saved?.subscriptions, ['memo://a']);
        assert.equal(saved?.initialized, true);
      }));

    it('forgets a deleted session, and keeps others', () =>
      withStore(factory, async (store) => {
        const [a, b] = [uniqueId('session'), uniqueId('session')];
        await store.create(a, newSessionState('2025-11-25', {}, undefined));
        await store.create(b, newSessionState('2025-11-25', {}, undefined));
        await store.delete(a);
        assert.equal(await store.get(a), undefined);
        assert.notEqual(await store.get(b), undefined);
        await store.delete(uniqueId('never-there'));
      }));

    it('lets touch() refresh a session and ignores unknown ids', () =>
      withStore(factory, async (store) => {
        const id = uniqueId('session');
        await store.create(id, newSessionState('2025-11-25', {}, undefined));
        await store.touch?.(id);
        await store.touch?.(uniqueId('never-there'));
        assert.notEqual(await store.get(id), undefined);
      }));

    it('tells with lastSeen() when a session was last used, and nothing once it is gone', () =>
      withStore(factory, async (store) => {
        if (store.lastSeen === undefined) return;
        const id = uniqueId('session');
        // Stores that count in whole milliseconds may round either way.
        const before = Date.now() - 1;
        await store.create(id, newSessionState('2025-11-25', {}, undefined));
        await store.touch?.(id);
        const seen = await store.lastSeen(id);
        assert.ok(seen !== undefined && seen >= before && seen <= Date.now() + 1, `lastSeen ${seen}, from ${before}`);
        await store.delete(id);
        assert.equal(await store.lastSeen(id), undefined);
        assert.equal(await store.lastSeen(uniqueId('never-there')), undefined);
      }));
  });
}
