/**
 * One Redis connection reads every stream a `RedisEventStore` follows: N followers hold one connection between
 * them (counted in `CLIENT LIST` by the name the store gives it), each gets exactly its own events in order, and
 * stopping one leaves the others alone. The check interval is a minute, so nothing here can pass by polling: a
 * follower added or stopped must wake the blocked read. And a stream whose writer's lease is gone ends for its
 * followers with its will, written once.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StreamFollower } from 'switchboard-mcp';
import { connectRedis, RedisEventStore } from 'switchboard-mcp/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/free-port.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { redisUrl } from '../support/services.js';

const url = redisUrl();
const STREAMS = 6;
/** Every store of this file lives under it; afterAll deletes what is left. */
const ROOT = `sbreader:${randomBytes(4).toString('hex')}:`;

/** A follower that records what it is handed; `until(n)` settles once it holds n events, `ended` once it ended. */
function recorder() {
  const got: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const follower: StreamFollower = {
    event: (_id, message) => {
      got.push(message);
      for (const waiter of waiters) if (got.length >= waiter.count) waiter.resolve();
    },
    end: () => ended(),
  };
  const until = (count: number) =>
    new Promise<void>((resolve) => {
      if (got.length >= count) resolve();
      else waiters.push({ count, resolve });
    });
  return { got, follower, until, ended: endedPromise };
}

describe.skipIf(url === undefined)('RedisEventStore follows every stream on one connection', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(url as string, { name: 'shared-reader-test' });
  });
  afterAll(async () => {
    await deleteKeysUnder(redis, ROOT);
    redis.disconnect();
  });

  /** Connections Redis lists under `name`. */
  async function connectionsNamed(name: string): Promise<string[]> {
    const list = (await redis.client('LIST')) as string;
    return list.split('\n').filter((line) => line.includes(` name=${name} `));
  }

  function newStore() {
    const readerName = `sbreader-${randomBytes(4).toString('hex')}`;
    const store = new RedisEventStore(redis, {
      prefix: `${ROOT}${randomBytes(4).toString('hex')}:`,
      followCheckMs: 60_000,
      readerName,
    });
    return { store, readerName };
  }

  it('gives N followers one connection, each its own events in order; stopping one leaves the rest', async () => {
    const { store, readerName } = newStore();
    try {
      const streams = Array.from({ length: STREAMS }, (_, n) => `session~s${n}`);
      const primes = await Promise.all(streams.map((stream) => store.append(stream, '')));
      expect(await connectionsNamed(readerName)).toHaveLength(0);
      // Two followers on the first stream, one on each other stream: followers are added while the read blocks.
      const followers = [...streams, streams[0] as string].map(() => recorder());
      const follows = [];
      for (const [n, record] of followers.entries()) {
        const prime = primes[n % STREAMS] as string;
        follows.push(await store.follow(prime, record.follower));
      }
      expect(store.followedStreams).toBe(STREAMS);
      // Last-followed stream first, each event awaited: only a read woken for each new follower can deliver it.
      for (const [n, stream] of [...streams.entries()].reverse()) {
        await store.append(stream, `${stream}:1`);
        await followers[n]?.until(1);
      }
      for (let round = 2; round <= 3; round++)
        for (const stream of streams) await store.append(stream, `${stream}:${round}`);
      await Promise.all(followers.map((record) => record.until(3)));
      for (const [n, record] of followers.entries()) {
        const stream = streams[n % STREAMS] as string;
        expect(record.got).toEqual([`${stream}:1`, `${stream}:2`, `${stream}:3`]);
      }
      expect(await connectionsNamed(readerName)).toHaveLength(1);

      // Stopping the second stream's only follower, and one of the first stream's two.
      follows[1]?.stop();
      follows[0]?.stop();
      for (const stream of streams) await store.append(stream, `${stream}:4`);
      const kept = followers.filter((_, n) => n !== 0 && n !== 1);
      await Promise.all(kept.map((record) => record.until(4)));
      for (const record of kept) expect(record.got).toHaveLength(4);
      expect(followers[0]?.got).toHaveLength(3);
      expect(followers[1]?.got).toHaveLength(3);
      expect(store.followedStreams).toBe(STREAMS - 1);

      // The end marker ends only its own stream's follows.
      await store.end(streams[2] as string);
      await followers[2]?.ended;
      await store.append(streams[3] as string, 'after the end elsewhere');
      await followers[3]?.until(5);
      expect(followers[3]?.got.at(-1)).toBe('after the end elsewhere');
      expect(await connectionsNamed(readerName)).toHaveLength(1);

      // Nothing left to follow: the connection goes, and the next follow opens one again.
      for (const follow of follows) follow?.stop();
      expect(store.followedStreams).toBe(0);
      await waitFor('the idle reader to close', async () => (await connectionsNamed(readerName)).length === 0);
      const later = recorder();
      await store.follow(await store.append('session~later', ''), later.follower);
      await store.append('session~later', 'later');
      await later.until(1);
      expect(await connectionsNamed(readerName)).toHaveLength(1);
    } finally {
      await store.close();
    }
    await waitFor('the reader connection to close', async () => (await connectionsNamed(readerName)).length === 0);
  });

  it('ends every follow when the reader loses its connection, and follows again on a new one', async () => {
    const { store, readerName } = newStore();
    try {
      const primes = await Promise.all(['session~a', 'session~b'].map((stream) => store.append(stream, '')));
      const first = recorder();
      const second = recorder();
      await store.follow(primes[0] as string, first.follower);
      await store.follow(primes[1] as string, second.follower);
      await waitFor('the reader to connect', async () => (await connectionsNamed(readerName)).length === 1);
      const [line] = await connectionsNamed(readerName);
      const id = /\bid=(\d+)\b/.exec(line as string)?.[1] as string;
      await redis.client('KILL', 'ID', id);
      await Promise.all([first.ended, second.ended]);
      expect(store.followedStreams).toBe(0);

      const again = recorder();
      const prime = await store.append('session~c', '');
      await store.follow(prime, again.follower);
      await store.append('session~c', 'after the reconnect');
      await again.until(1);
      expect(again.got).toEqual(['after the reconnect']);
    } finally {
      await store.close();
    }
  });
  it("ends a follow with the stream's will once its writer's lease is gone, unless the request was answered", async () => {
    const prefix = `${ROOT}${randomBytes(4).toString('hex')}:`;
    const writer = new RedisEventStore(redis, { prefix, instanceLeaseMs: 60_000 });
    const reader = new RedisEventStore(redis, { prefix, followCheckMs: 100 });
    try {
      const [open, answered] = ['session~open', 'session~answered'];
      await writer.will(open, 'error for the open request');
      await writer.will(answered, 'error for the answered request');
      const primes = [await writer.append(open, ''), await writer.append(answered, '')];
      await writer.append(open, 'progress');
      await writer.append(answered, 'the response', true);
      const followers = [recorder(), recorder()];
      for (const [n, record] of followers.entries()) await reader.follow(primes[n] as string, record.follower);
      await Promise.all(followers.map((record) => record.until(1)));
      // Gives the lease up without ending either stream: what the lease running out after a kill amounts to.
      await writer.close();
      await Promise.all(followers.map((record) => record.ended));
      expect(followers.map((record) => record.got)).toEqual([
        ['progress', 'error for the open request'],
        ['the response'],
      ]);
      // The will was written once, with the end marker: a resume replays both and ends at once, and what a writer
      // taken for dead appends behind the end is never handed over.
      await writer.append(open, 'late, from a writer taken for dead');
      const again = recorder();
      await reader.follow(primes[0] as string, again.follower);
      await again.ended;
      expect(again.got).toEqual(['progress', 'error for the open request']);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('refuses a check interval or lease that is not a positive whole number of milliseconds', () => {
    for (const options of [{ followCheckMs: 0 }, { instanceLeaseMs: -1 }, { followCheckMs: 1.5 }]) {
      expect(() => new RedisEventStore(redis, options)).toThrow(/must be a positive whole number of milliseconds/);
    }
  });
});
