/**
 * A 2025 stream resumed on instance B after the instance that writes it (A, a child process) is killed with
 * SIGKILL: B's follower finds A's liveness lease gone at its next check and ends the stream, with a JSON-RPC error
 * answering the request that A was running; a resume after that replays the same end at once. Without the lease the
 * resumed stream would stay open until the stream's TTL (5 minutes), far past this test's timeout.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { connectRedis, redis } from 'switchboard-mcp/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SseEvent } from '../support/http.js';
import { legacyHeaders, openLegacySession, post, readSse } from '../support/http.js';
import { deleteKeysUnder } from '../support/redis-keys.js';
import { redisUrl } from '../support/services.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/stream-owner.ts', import.meta.url));
const url = redisUrl();
const CALL_ID = 7;

/** Reads events until the stream ends; the test's timeout bounds it. */
async function untilEnd(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(response)) events.push(event);
  return events;
}

/** Reads events until `count` have arrived, then lets the connection go (the client was cut off). */
async function firstEvents(response: Response, count: number): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(response)) {
    events.push(event);
    if (events.length === count) break;
  }
  await response.body?.cancel();
  return events;
}

describe.skipIf(url === undefined)('a resumed stream whose writing instance was killed', () => {
  const prefix = `sbowner:${randomBytes(4).toString('hex')}:`;
  let owner: ChildProcessWithoutNullStreams;
  let ownerUrl: string;
  const stores = redis(url as string, { prefix, followCheckMs: 100 });
  let other: HttpServerHandle;

  beforeAll(async () => {
    owner = spawn(process.execPath, ['--conditions=switchboard-source', '--import', 'tsx', FIXTURE], {
      env: { ...process.env, REDIS_URL: url, PREFIX: prefix, SWITCHBOARD_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    owner.stdout.setEncoding('utf8');
    ownerUrl = await new Promise<string>((resolve, reject) => {
      owner.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /LISTENING (\S+)/.exec(stdout);
        if (match !== null) resolve(match[1] as string);
      });
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before listening: ${stdout}`)));
    });
    other = await serve(new Switchboard({ name: 'other', version: '1.0.0', stores }), { port: 0 });
  }, 30_000);
  afterAll(async () => {
    if (owner.exitCode === null && owner.signalCode === null) {
      owner.kill('SIGKILL');
      await once(owner, 'exit');
    }
    await other?.close();
    const cleaner = await connectRedis(url as string, { name: 'owner-killed-cleanup' });
    await deleteKeysUnder(cleaner, prefix);
    cleaner.disconnect();
  });

  it('ends there with an error for the unanswered request, and a later resume ends at once', async () => {
    const session = await openLegacySession(ownerUrl);
    // The call and the GET stream both run on the owner; the client is cut off from each after a first event.
    const call = await post(
      ownerUrl,
      JSON.stringify({
        jsonrpc: '2.0',
        id: CALL_ID,
        method: 'tools/call',
        params: { name: 'hang', arguments: {}, _meta: { progressToken: 'p' } },
      }),
      legacyHeaders(session),
    );
    const [callPrime, progress] = await firstEvents(call, 2);
    expect(progress?.data).toMatchObject({ method: 'notifications/progress' });
    const standalone = await fetch(ownerUrl, { headers: { ...legacyHeaders(session), accept: 'text/event-stream' } });
    const [getPrime] = await firstEvents(standalone, 1);

    const resumeOnOther = (lastEventId: string) =>
      fetch(other.url, {
        headers: { ...legacyHeaders(session), accept: 'text/event-stream', 'last-event-id': lastEventId },
      });
    const resumedCall = await resumeOnOther(progress?.id as string);
    const resumedGet = await resumeOnOther(getPrime?.id as string);
    expect([resumedCall.status, resumedGet.status]).toEqual([200, 200]);

    owner.kill('SIGKILL');
    await once(owner, 'exit');
    const [callEvents, getEvents] = await Promise.all([untilEnd(resumedCall), untilEnd(resumedGet)]);
    expect(callEvents.map((event) => event.data)).toEqual([
      {
        jsonrpc: '2.0',
        id: CALL_ID,
        error: { code: -32603, message: expect.stringMatching(/instance running this request stopped/) },
      },
    ]);
    expect(getEvents).toEqual([]);

    // Resumed again (from the start, and from the error), the stream replays what it holds and ends at once.
    const replayed = await untilEnd(await resumeOnOther(callPrime?.id as string));
    expect(replayed.map((event) => event.data)).toEqual([progress?.data, callEvents[0]?.data]);
    expect(await untilEnd(await resumeOnOther(callEvents[0]?.id as string))).toEqual([]);
    expect(await untilEnd(await resumeOnOther(getPrime?.id as string))).toEqual([]);
  });
});
