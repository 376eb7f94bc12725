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

/** Follows from `lastEventId`; `done` settles with every id and message handed over once the follow ends. */
async function follow(store: EventStore, lastEventId: string) {
  const got: [string, string][] = [];
  let ended!: () => void;
  const done = new Promise<[string, string][]>((resolve) => {
    ended = () => resolve(got);
  });
  let arrived: (() => void) | undefined;
  const event = (id: string, message: string) => {
    got.push([id, message]);
    arrived?.();
  };
  const result = await store.follow?.(lastEventId, { event, end: ended });
  /** Settles once `count` events have been handed over. */
  const received = (count: number) =>
    new Promise<void>((resolve) => {
      arrived = () => got.length >= count && resolve();
      arrived();
    });
  return { result, done, got, received };
}

/**
 * What every `EventStore` must do for `Last-Event-ID` resumption (2025-11-25 basic/transports §Resumability):
 * replay exactly what followed an event on its own stream, in order, never another stream's, skip priming events,
 * issue unique ids, refuse unknown ids, and forget a session's streams. A store with `follow` and `end` must hand
 * a resumed stream's later events over live, each once, and stop at the stream's end.
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

    it('follows a stream: the missed events, then the ones appended later, each once, until the stream ends', () =>
      withStore(factory, async (store) => {
        if (store.follow === undefined || store.end === undefined) return;
        const stream = `${uniqueId('s')}~live`;
        const prime = await store.append(stream, '');
        const missed = [await store.append(stream, '{"n":1}'), await store.append(stream, '{"n":2}')];
        await store.append(`${uniqueId('s')}~other`, '{"other":true}');
        const { result, done, got } = await follow(store, prime);
        assert.equal(result?.streamId, stream);
        assert.deepEqual(got, [
          [missed[0], '{"n":1}'],
          [missed[1], '{"n":2}'],
        ]);
        const live = [await store.append(stream, '{"n":3}'), await store.append(stream, '{"n":4}')];
        await store.end(stream);
        await store.append(stream, '{"after":"end"}');
        assert.deepEqual(await done, [
          [missed[0], '{"n":1}'],
          [missed[1], '{"n":2}'],
          [live[0], '{"n":3}'],
          [live[1], '{"n":4}'],
        ]);
      }));

    it('follows an ended stream only through its replay, and refuses an unknown id', () =>
      withStore(factory, async (store) => {
        if (store.follow === undefined || store.end === undefined) return;
        const stream = `${uniqueId('s')}~done`;
        const first = await store.append(stream, '{"n":1}');
        const last = await store.append(stream, '{"n":2}');
        await store.end(stream);
        const { result, done } = await follow(store, first);
        assert.equal(result?.streamId, stream);
        assert.deepEqual(await done, [[last, '{"n":2}']]);
        assert.equal((await follow(store, `${uniqueId('s')}~x.999`)).result, undefined);
      }));

    it('stops handing events over once stopped, and ends the follow when the stream is forgotten', () =>
      withStore(factory, async (store) => {
        if (store.follow === undefined || store.forget === undefined) return;
        const session = uniqueId('s');
        const stream = `${session}~a`;
        const first = await store.append(stream, '{"n":1}');
        const stopped = await follow(store, first);
        stopped.result?.stop();
        const kept = await follow(store, first);
        await store.append(stream, '{"n":2}');
        await kept.received(1);
        await store.forget(`${session}~`);
        assert.deepEqual(
          (await kept.done).map(([, message]) => message),
          ['{"n":2}'],
        );
        assert.deepEqual(stopped.got, []);
      }));
  });
}
