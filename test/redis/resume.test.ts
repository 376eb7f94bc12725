/**
 * `Last-Event-ID` resumes with Redis stores, of a call still running: on the instance that runs it (the stream moves
 * to the new connection while appends to Redis are in flight) and on another one (the stream is followed in Redis).
 * Either way the client gets every event once, in order, then the result. Two servers in this process sharing one
 * Redis prefix, so each step can pick its instance.
 */
import { randomBytes } from 'node:crypto';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { redis } from 'switchboard-mcp/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SseEvent } from '../support/http.js';
import { legacyHeaders, openLegacySession, post, readSse } from '../support/http.js';
import { redisUrl } from '../support/services.js';
import { steps } from '../support/steps.js';

const url = redisUrl();
const STEPS = 6;

describe.skipIf(url === undefined)('Last-Event-ID resumes with Redis stores', () => {
  const gates = new Map<number, ReturnType<typeof steps>>();
  const stores: ReturnType<typeof redis>[] = [];
  const handles: HttpServerHandle[] = [];
  beforeAll(async () => {
    const prefix = `sbresume:${randomBytes(4).toString('hex')}:`;
    for (const name of ['a', 'b']) {
      const shared = redis(url as string, { prefix });
      const server = new Switchboard({ name, version: '1.0.0', stores: shared, stateSecret: 'x'.repeat(32) });
      server.tool('stepped', { description: 'Sends progress as the test releases it' }, async (_args, ctx) => {
        const gate = gates.get(Number(ctx.requestId)) as ReturnType<typeof steps>;
        for (let n = 1; n <= STEPS; n++) {
          await gate.wait(n);
          ctx.progress(n, STEPS);
          gate.sent(n);
        }
        return `${name}:done`;
      });
      stores.push(shared);
      handles.push(await serve(server, { port: 0 }));
    }
  });
  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await Promise.all(stores.map((shared) => shared.close()));
  });

  const progressOf = (event: SseEvent) => (event.data?.params as { progress?: number } | undefined)?.progress;

  for (const [where, resumeOn] of [
    ['the instance that runs the call', 0],
    ['another instance', 1],
  ] as const) {
    it(`resumes on ${where}: the missed events, then the live ones, once each, then the result`, async () => {
      const id = 10 + resumeOn;
      const gate = steps();
      gates.set(id, gate);
      const [a, target] = [handles[0] as HttpServerHandle, handles[resumeOn] as HttpServerHandle];
      const session = await openLegacySession(a.url);
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'stepped', arguments: {}, _meta: { progressToken: `p${id}` } },
      });
      const calling = post(a.url, body, legacyHeaders(session));
      await gate.release(1);
      const call = await calling;
      const before: SseEvent[] = [];
      for await (const event of readSse(call)) {
        before.push(event);
        if (event.data !== undefined) break;
      }
      await call.body?.cancel();
      await gate.release(2);
      const resuming = fetch(target.url, {
        headers: {
          ...legacyHeaders(session),
          'last-event-id': before.at(-1)?.id as string,
          accept: 'text/event-stream',
        },
        signal: AbortSignal.timeout(20_000),
      });
      // Released while the resume's replay is reading Redis: each lands once, replayed or live.
      const releasing = (async () => {
        for (let n = 3; n <= STEPS; n++) await gate.release(n);
      })();
      const resumed = await resuming;
      expect(resumed.status).toBe(200);
      const after: SseEvent[] = [];
      for await (const event of readSse(resumed)) after.push(event);
      await releasing;
      expect(after.slice(0, -1).map(progressOf)).toEqual([2, 3, 4, 5, 6]);
      expect(after.at(-1)?.data).toMatchObject({ id, result: { content: [{ text: 'a:done' }] } });
      expect(new Set([...before, ...after].map((event) => event.id)).size).toBe(before.length + after.length);
    });
  }
});
