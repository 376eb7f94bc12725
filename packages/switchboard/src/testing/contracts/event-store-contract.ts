import assert from 'node:assert/strict';
import type { EventStore } from '../../stores/event-store.js';
import type { ContractRunner, StoreFactory } from './runner.js';
import { uniqueId, withStore } from './runner.js';

async function replay(
  store: EventStore,
  lastEventId: string,
): Promise<{ stream: string | undefined; messages: string[] }> {
  const messages: string[] = [];
  const stream = await store.replayAfter(lastEventId, (_id, message) => messages.push(message));
  return { stream, messages };
}

/**
 * What every `EventStore` must do for `Last-Event-ID` resumption (2025-11-25 basic/transports §Resumability):
 * replay exactly what followed an event on its own stream, in order, never another stream's, skip priming events,
 * issue unique ids, refuse unknown ids, and forget a session's streams.
 */
export function eventStoreContract(name: string, factory: StoreFactory<EventStore>, runner: ContractRunner): void {
  const { describe, it } = runner;
  describe(`EventStore contract: ${name}`, () => {
    it('replays what followed an event on its stream, in order, without priming events or other streams', () =>
      withStore(factory, async (store) => {
        const session = uniqueId('s');
        const [one, two] = [`${session}~one`, `${session}~two`];
        const prime = await store.append(one, '');
        const first = await store.append(one, '{"n":1}');
        await store.append(two, '{"other":true}');
        await store.append(one, '{"n":2}');
        assert.deepEqual(await replay(store, prime), { stream: one, messages: ['{"n":1}', '{"n":2}'] });
        assert.deepEqual(await replay(store, first), { stream: one, messages: ['{"n":2}'] });
      }));

    it('gives each event its own id, and replays with those ids', () =>
      withStore(factory, async (store) => {
        const stream = `${uniqueId('s')}~a`;
        const ids = [];
        for (let n = 0; n < 5; n++) ids.push(await store.append(stream, `{"n":${n}}`));
        assert.equal(new Set(ids).size, 5);
        const replayedIds: string[] = [];
        await store.replayAfter(ids[1] as string, (id) => replayedIds.push(id));
        assert.deepEqual(replayedIds, ids.slice(2));
      }));

    it('answers undefined for an id it never issued', () =>
      withStore(factory, async (store) => {
        assert.deepEqual(await replay(store, 'nonsense'), { stream: undefined, messages: [] });
        assert.deepEqual(await replay(store, `${uniqueId('s')}~x.999`), { stream: undefined, messages: [] });
      }));

    it("forgets a session's streams by prefix, and only those", () =>
      withStore(factory, async (store) => {
        const [gone, kept] = [uniqueId('s'), uniqueId('s')];
        const goneId = await store.append(`${gone}~a`, '{"x":1}');
        const keptId = await store.append(`${kept}~a`, '{"x":1}');
        await store.append(`${kept}~a`, '{"x":2}');
        if (store.forget === undefined) return;
        await store.forget(`${gone}~`);
        assert.equal((await replay(store, goneId)).stream, undefined);
        assert.deepEqual(await replay(store, keptId), { stream: `${kept}~a`, messages: ['{"x":2}'] });
      }));
  });
}
