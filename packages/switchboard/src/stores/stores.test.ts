import { afterEach, describe, expect, it, vi } from 'vitest';
import { newSessionState } from '../protocol/session.js';
import {
  busContract,
  eventStoreContract,
  sessionStoreContract,
  taskStoreContract,
} from '../testing/contracts/index.js';
import { MemoryBus } from './bus.js';
import { MemoryEventStore } from './event-store.js';
import { MemorySessionStore, SessionLimitError } from './session-store.js';
import { MemoryTaskStore } from './task-store.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryEventStore', () => {
  it('replays only what followed the given event, on that stream, skipping priming events', () => {
    const store = new MemoryEventStore();
    const prime = store.append('s~1', '');
    const first = store.append('s~1', '{"n":1}');
    store.append('s~2', '{"other":true}');
    store.append('s~1', '{"n":2}');
    const replayed: string[] = [];
    expect(store.replayAfter(prime, (_id, message) => replayed.push(message))).toBe('s~1');
    expect(replayed).toEqual(['{"n":1}', '{"n":2}']);
    replayed.length = 0;
    store.replayAfter(first, (_id, message) => replayed.push(message));
    expect(replayed).toEqual(['{"n":2}']);
  });

  it('answers undefined for ids it never issued or has forgotten', () => {
    const store = new MemoryEventStore();
    const id = store.append('a~1', '{}');
    expect(store.replayAfter('nonsense', () => {})).toBeUndefined();
    expect(store.replayAfter('zz~9.1', () => {})).toBeUndefined();
    store.forget('a~');
    expect(store.replayAfter(id, () => {})).toBeUndefined();
  });

  it('keeps at most maxEventsPerStream events and expires idle streams', () => {
    vi.useFakeTimers();
    const store = new MemoryEventStore({ maxEventsPerStream: 2, streamTtlMs: 1000 });
    const start = store.append('x~1', '');
    const ids = [1, 2, 3].map((n) => store.append('x~1', String(n)));
    const replayed: string[] = [];
    // '1' was dropped: a resume from before it would skip it, so it is refused like an unknown id.
    expect(store.replayAfter(start, (_id, message) => replayed.push(message))).toBeUndefined();
    expect(store.replayAfter(ids[0] as string, (_id, message) => replayed.push(message))).toBe('x~1');
    expect(replayed).toEqual(['2', '3']);
    vi.advanceTimersByTime(5000);
    store.append('y~1', 'sweep');
    expect(store.replayAfter(ids[1] as string, () => {})).toBeUndefined();
  });

  it('issues each event id once, across streams and for a stream written again after it was dropped', () => {
    const store = new MemoryEventStore({ maxBytes: 1000 });
    const first = store.append('s~a', 'x'.repeat(200));
    expect(store.append('s~b', '{}')).not.toBe(`s~b.${first.split('.')[1]}`);
    store.append('s~big', 'y'.repeat(900));
    const again = store.append('s~a', '{"again":true}');
    expect(again).not.toBe(first);
    expect(store.replayAfter(first, () => {})).toBeUndefined();
  });

  it('bounds the total size: the least recently used streams lose their oldest events first', () => {
    const store = new MemoryEventStore({ maxBytes: 4000 });
    const oldPrime = store.append('s~old', '');
    const oldEvents = ['a', 'b', 'c'].map((letter) => store.append('s~old', letter.repeat(600)));
    const newPrime = store.append('s~new', '');
    store.append('s~new', 'n'.repeat(1500));
    expect(store.bytes).toBeLessThanOrEqual(4000);
    const replayed: string[] = [];
    expect(store.replayAfter(oldPrime, () => {})).toBeUndefined();
    expect(store.replayAfter(oldEvents[1] as string, (_id, message) => replayed.push(message))).toBe('s~old');
    expect(replayed).toEqual(['c'.repeat(600)]);
    replayed.length = 0;
    expect(store.replayAfter(newPrime, (_id, message) => replayed.push(message))).toBe('s~new');
    expect(replayed).toEqual(['n'.repeat(1500)]);
    // One message larger than the whole budget leaves nothing behind it, and the size stays bounded.
    store.append('s~huge', 'h'.repeat(10_000));
    expect(store.bytes).toBeLessThanOrEqual(4000);
    expect(store.replayAfter(newPrime, () => {})).toBeUndefined();
    store.forget('s~');
    expect(store.bytes).toBe(0);
  });
});

describe('MemoryEventStore maxBytesPerSession', () => {
  it("bounds one session's events without touching another session's", () => {
    const store = new MemoryEventStore({ maxBytesPerSession: 4000 });
    const kept: string[] = [];
    const other = store.append('quiet~s1', 'x'.repeat(500));
    for (let i = 0; i < 20; i++) kept.push(store.append(`loud~s${i % 2}`, `${i}`.padEnd(500, 'y')));
    // The quiet session's event is still there to resume from.
    const replayed: string[] = [];
    expect(store.replayAfter(`${other.slice(0, other.lastIndexOf('.'))}.0`, (id) => replayed.push(id))).toBe(
      'quiet~s1',
    );
    expect(replayed).toEqual([other]);
    // The loud session's oldest events are gone (a resume from them is refused), its newest are kept.
    expect(store.replayAfter(kept[0] as string, () => {})).toBeUndefined();
    const latest: string[] = [];
    expect(store.replayAfter(kept[17] as string, (id) => latest.push(id))).toBe('loud~s1');
    expect(latest).toEqual([kept[19]]);
    expect(store.bytes).toBeLessThan(4000 + 1000);
  });
});

describe('MemorySessionStore', () => {
  it('keeps at most maxSessions: one more is refused and none of those kept is forgotten', () => {
    const store = new MemorySessionStore({ maxSessions: 2 });
    const state = () => newSessionState('2025-11-25', {}, undefined);
    store.create('a', state());
    store.create('b', state());
    expect(() => store.create('c', state())).toThrow(SessionLimitError);
    expect(store.get('a')).toBeDefined();
    expect(store.get('b')).toBeDefined();
    expect(store.get('c')).toBeUndefined();
    store.delete('a');
    store.create('c', state());
    expect(store.size).toBe(2);
  });

  it('forgets sessions left idle past the TTL, and keeps used ones alive', () => {
    vi.useFakeTimers();
    const store = new MemorySessionStore({ idleTtlMs: 1000 });
    store.create('used', newSessionState('2025-11-25', {}, undefined));
    store.create('idle', newSessionState('2025-11-25', {}, undefined));
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(600);
      expect(store.get('used')).toBeDefined();
    }
    expect(store.get('idle')).toBeUndefined();
    store.delete('used');
    expect(store.get('used')).toBeUndefined();
  });

  it('touch() keeps a session alive without reading it, and does not bring back a forgotten one', () => {
    vi.useFakeTimers();
    const store = new MemorySessionStore({ idleTtlMs: 1000 });
    store.create('streaming', newSessionState('2025-11-25', {}, undefined));
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(600);
      store.touch('streaming');
    }
    expect(store.get('streaming')).toBeDefined();
    store.delete('streaming');
    store.touch('streaming');
    expect(store.get('streaming')).toBeUndefined();
  });
});

describe('the memory stores pass the store contracts', () => {
  const runner = { describe, it };
  sessionStoreContract('MemorySessionStore', () => ({ store: new MemorySessionStore() }), runner);
  eventStoreContract('MemoryEventStore', () => ({ store: new MemoryEventStore() }), runner);
  taskStoreContract('MemoryTaskStore', () => ({ store: new MemoryTaskStore() }), runner);
  const bus = new MemoryBus();
  busContract('MemoryBus', () => ({ store: bus }), runner);
});
