/**
 * Issue 10 §2: three instances of the reference server behind HAProxy (round-robin, no stickiness), sharing Redis
 * (sessions, events, bus) and PostgreSQL (tasks). Official SDK v1 and v2 clients, raw HTTP where a step needs to
 * pick the instance, a bounded load generator, and a kill -9 of one instance mid-load.
 */
import { randomBytes } from 'node:crypto';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/free-port.js';
import type { SseEvent } from '../support/http.js';
import { collectSse, legacyHeaders, modernRequest, openLegacySession, post, readSse } from '../support/http.js';
import { postgresUrl, redisUrl } from '../support/services.js';
import type { Cluster, Instance } from './cluster.js';
import { startCluster } from './cluster.js';
import { runLoad } from './load.js';

const redis = redisUrl();
const database = postgresUrl();
const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
const LEASE_MS = 1500;
/** Longer than the task lease: under load a busy instance must not be taken for dead. */
const INSTANCE_LEASE_MS = 3_000;

function progressOf(event: SseEvent | undefined): number | undefined {
  return (event?.data?.params as { progress?: number } | undefined)?.progress;
}

function textOf(result: unknown): string {
  const content = (result as { content?: { text?: string }[] }).content ?? [];
  return content[0]?.text ?? '';
}

/** A 2026-07-28 request to `url`; resolves with the JSON-RPC result (throws on an error). */
async function modern(
  url: string,
  method: string,
  params: Record<string, unknown>,
  caps = {},
): Promise<Record<string, unknown>> {
  const { headers, body } = modernRequest(randomBytes(4).toString('hex'), method, params, caps);
  const response = await post(url, body, headers, AbortSignal.timeout(10_000));
  const text = await response.text();
  const reply = JSON.parse(text.startsWith('{') ? text : (text.match(/^data: (.*)$/m)?.[1] ?? '{}')) as {
    result?: Record<string, unknown>;
    error?: unknown;
  };
  if (reply.result === undefined) throw new Error(`${method} failed: ${response.status} ${text}`);
  return reply.result;
}

function legacyCall(id: number, name: string, args: Record<string, unknown>, meta = {}) {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: meta } });
}

async function stats(instance: Instance): Promise<{ relayed: number; aborted: number }> {
  return JSON.parse(textOf(await modern(instance.url, 'tools/call', { name: 'stats', arguments: {} })));
}

describe.skipIf(redis === undefined || database === undefined)('three instances behind HAProxy, no stickiness', () => {
  let db: TestDatabase;
  let cluster: Cluster;
  const printed: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase({ url: database });
    cluster = await startCluster({
      redisUrl: redis as string,
      databaseUrl: db.url,
      prefix: `sbscale:${randomBytes(4).toString('hex')}:`,
      taskLeaseMs: LEASE_MS,
      instanceLeaseMs: INSTANCE_LEASE_MS,
      followCheckMs: 200,
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await db?.dispose();
    if (Object.keys(printed).length > 0) console.log(`[scale] ${JSON.stringify(printed)}`);
  });

  it('serves a 2025 session opened through one instance on every instance (SDK v1)', async () => {
    const client = new ClientV1({ name: 'scale-v1', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(cluster.url)));
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 9; i++) seen.add(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(seen).toEqual(new Set(['instance-a', 'instance-b', 'instance-c']));
    } finally {
      await client.close();
    }
  });

  it('serves a 2026-07-28 client on every instance (SDK v2)', async () => {
    const client = new ClientV2({ name: 'scale-v2', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new TransportV2(new URL(cluster.url)));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const seen = new Set<string>();
      for (let i = 0; i < 9; i++) seen.add(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(seen).toEqual(new Set(['instance-a', 'instance-b', 'instance-c']));
    } finally {
      await client.close();
    }
  });

  it('completes an elicitation whose answer is POSTed through another instance (SDK v1)', async () => {
    const before = await stats(cluster.instances[0] as Instance);
    const client = new ClientV1({ name: 'scale-v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { ok: true } }));
    await client.connect(new TransportV1(new URL(cluster.url)));
    try {
      // Round-robin puts the answer on another instance than the call at least once in three calls.
      for (let i = 0; i < 3; i++) {
        expect(textOf(await client.callTool({ name: 'confirm', arguments: {} }))).toMatch(/^instance-.:accept:true$/);
      }
    } finally {
      await client.close();
    }
    const after = await stats(cluster.instances[0] as Instance);
    expect(after.relayed).toBeGreaterThan(before.relayed);
  });

  it('replays exactly the missed events on a Last-Event-ID resume through another instance', async () => {
    const [first, second] = cluster.instances as [Instance, Instance];
    const session = await openLegacySession(cluster.url);
    const call = await post(
      first.url,
      legacyCall(1, 'countdown', { steps: 6 }, { progressToken: 'resume-1' }),
      legacyHeaders(session),
    );
    // Read the priming event and the first progress step, then drop the connection.
    const seen: SseEvent[] = [];
    for await (const event of readSse(call)) {
      seen.push(event);
      if (event.data !== undefined) break;
    }
    await call.body?.cancel();
    const lastId = seen.at(-1)?.id as string;
    expect(progressOf(seen.at(-1))).toBe(1);

    let replayed: SseEvent[] = [];
    await waitFor('the call to finish while the client is away', async () => {
      const resumed = await fetch(second.url, {
        headers: { ...legacyHeaders(session), 'last-event-id': lastId, accept: 'text/event-stream' },
        signal: AbortSignal.timeout(5_000),
      });
      if (resumed.status !== 200) return false;
      replayed = (await collectSse(resumed)).filter((event) => event.data !== undefined);
      return replayed.some((event) => event.data?.id === 1);
    });
    const progress = replayed.filter((event) => event.data?.method === 'notifications/progress');
    expect(progress.map(progressOf)).toEqual([2, 3, 4, 5, 6]);
    expect(replayed.at(-1)?.data?.result).toMatchObject({ content: [{ text: 'instance-a:done' }] });
    expect(new Set(replayed.map((event) => event.id)).size).toBe(replayed.length);
    printed.eventsReplayedOnResume = replayed.length;
  });

  it('resumes through another instance a call still running and follows it live: every event once, then the result', async () => {
    const [first, second, third] = cluster.instances as [Instance, Instance, Instance];
    const session = await openLegacySession(cluster.url);
    const run = randomBytes(4).toString('hex');
    const advance = (step: number) => modern(third.url, 'tools/call', { name: 'advance', arguments: { run, step } });
    const call = await post(
      first.url,
      legacyCall(2, 'stepped', { run, steps: 5 }, { progressToken: 'live-1' }),
      legacyHeaders(session),
    );
    const before: SseEvent[] = [];
    for await (const event of readSse(call)) {
      before.push(event);
      if (event.data !== undefined) break;
    }
    expect(progressOf(before.at(-1))).toBe(1);
    // The client's connection drops; steps 2 and 3 happen while it is away.
    await call.body?.cancel();
    await advance(2);
    await advance(3);
    const resumed = await fetch(second.url, {
      headers: { ...legacyHeaders(session), 'last-event-id': before.at(-1)?.id as string, accept: 'text/event-stream' },
      signal: AbortSignal.timeout(20_000),
    });
    expect(resumed.status).toBe(200);
    const events = readSse(resumed);
    const after: SseEvent[] = [];
    while (after.length < 2) after.push((await events.next()).value as SseEvent);
    // Steps 4 and 5 happen while the resumed connection (on another instance than the call) is open.
    await advance(4);
    await advance(5);
    for await (const event of events) after.push(event);
    expect(after.slice(0, 4).map(progressOf)).toEqual([2, 3, 4, 5]);
    expect(after.filter((event) => event.data?.id === 2)).toHaveLength(1);
    expect(after.at(-1)?.data?.result).toMatchObject({ content: [{ text: 'instance-a:stepped' }] });
    expect(after).toHaveLength(5);
    expect(new Set([...before, ...after].map((event) => event.id)).size).toBe(before.length + after.length);
    printed.eventsFollowedAfterResume = after.length;
  });

  it('delivers resources/updated published on any instance to a subscribed client (SDK v1)', async () => {
    const client = new ClientV1({ name: 'scale-v1', version: '1.0.0' });
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await client.connect(new TransportV1(new URL(cluster.url)));
    try {
      for (const name of ['warm-up', 'a', 'b', 'c']) await client.subscribeResource({ uri: `counter://${name}` });
      // The GET stream opens by itself after initialization: bump a warm-up counter until its update arrives.
      await waitFor('the GET stream to carry a first update', async () => {
        await modern(cluster.url, 'tools/call', { name: 'bump', arguments: { uri: 'counter://warm-up' } });
        return updates.length > 0;
      });
      // Each instance publishes the update of its own counter; the client hears every one, on whichever instance
      // holds its GET stream.
      for (const [index, instance] of cluster.instances.entries()) {
        const uri = `counter://${'abc'[index]}`;
        expect(textOf(await modern(instance.url, 'tools/call', { name: 'bump', arguments: { uri } }))).toBe(
          instance.name,
        );
      }
      const heard = () => updates.filter((uri) => uri !== 'counter://warm-up');
      await waitFor('one update per instance', async () => heard().length >= 3, 5_000);
      expect(heard()).toEqual(['counter://a', 'counter://b', 'counter://c']);
    } finally {
      await client.close();
    }
  });

  it('polls and cancels through the other instances a task started on one', async () => {
    const [a, b, c] = cluster.instances as [Instance, Instance, Instance];
    const abortedBefore = (await stats(a)).aborted;
    const created = await modern(a.url, 'tools/call', { name: 'slow_job', arguments: { ms: 60_000 } }, TASKS);
    expect(created.resultType).toBe('task');
    const taskId = String(created.taskId);
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await modern(b.url, 'tasks/get', { taskId }, TASKS)).status).toBe('working');
    await modern(c.url, 'tasks/cancel', { taskId }, TASKS);
    expect((await modern(b.url, 'tasks/get', { taskId }, TASKS)).status).toBe('cancelled');
    expect((await modern(a.url, 'tasks/get', { taskId }, TASKS)).status).toBe('cancelled');
    // The handler on instance a heard the cancellation made through instance c.
    await waitFor(
      'the handler on a to see its signal abort',
      async () => (await stats(a)).aborted > abortedBefore,
      5_000,
    );
  });

  it('survives a kill -9 of one instance mid-load: later requests succeed, events and tasks are not lost', async () => {
    const [a, b, victim] = cluster.instances as [Instance, Instance, Instance];
    // Tasks and an SSE stream running on the victim before it dies.
    const orphans: string[] = [];
    for (let i = 0; i < 3; i++) {
      const task = await modern(victim.url, 'tools/call', { name: 'slow_job', arguments: { ms: 120_000 } }, TASKS);
      orphans.push(String(task.taskId));
    }
    const session = await openLegacySession(cluster.url);
    const stream = await post(
      victim.url,
      legacyCall(7, 'countdown', { steps: 50 }, { progressToken: 'kill-1' }),
      legacyHeaders(session),
    );
    const acknowledged: SseEvent[] = [];
    for await (const event of readSse(stream)) {
      if (event.data !== undefined) acknowledged.push(event);
      if (acknowledged.length === 3) break;
    }
    // A question the victim asks, to be answered once it is dead.
    const asking = await openLegacySession(cluster.url, { elicitation: {} });
    const confirm = await post(victim.url, legacyCall(8, 'confirm', {}), legacyHeaders(asking));
    let question: SseEvent | undefined;
    for await (const event of readSse(confirm)) {
      question = event;
      if (event.data?.method === 'elicitation/create') break;
    }

    let killed = false;
    let down = false;
    const legacySessions = await Promise.all([0, 1, 2, 3].map(() => openLegacySession(cluster.url)));
    const counts = await runLoad(
      600,
      8,
      async (n) => {
        const signal = AbortSignal.timeout(10_000);
        if (n % 2 === 0) {
          const { headers, body } = modernRequest(n, 'tools/call', { name: 'echo', arguments: { text: `m${n}` } });
          const response = await post(cluster.url, body, headers, signal);
          return response.status === 200 && (await response.text()).includes(`:m${n}`);
        }
        const sessionId = legacySessions[n % legacySessions.length] as string;
        const response = await post(
          cluster.url,
          legacyCall(n, 'echo', { text: `l${n}` }),
          legacyHeaders(sessionId),
          signal,
        );
        return response.status === 200 && (await response.text()).includes(`:l${n}`);
      },
      () => down,
      (n) => {
        if (n !== 150 || killed) return;
        killed = true;
        void cluster.kill(victim).then(() =>
          waitFor('HAProxy to take the killed instance out', () => cluster.isDown(victim), 10_000).then(() => {
            down = true;
          }),
        );
      },
    );
    await waitFor('HAProxy to take the killed instance out', () => cluster.isDown(victim), 10_000);
    expect(killed).toBe(true);
    expect(counts.sent).toBe(600);
    expect(counts.succeeded + counts.failed).toBe(600);
    // Every request that started once HAProxy had taken the dead instance out succeeded through the other two.
    expect(counts.failedAfterCutoff).toBe(0);
    const after = await runLoad(60, 4, async (n) => {
      const { headers, body } = modernRequest(n, 'tools/call', { name: 'echo', arguments: { text: `after${n}` } });
      const response = await post(cluster.url, body, headers, AbortSignal.timeout(10_000));
      return response.status === 200;
    });
    expect(after.failed).toBe(0);

    // The answer to the dead instance's question lands on a survivor: no instance takes it, so the client hears
    // so (409), never a 202 for an answer nobody will read.
    const orphanAnswer = await post(
      cluster.url,
      JSON.stringify({ jsonrpc: '2.0', id: question?.data?.id, result: { action: 'accept', content: { ok: true } } }),
      legacyHeaders(asking),
    );
    expect(orphanAnswer.status).toBe(409);
    expect(await orphanAnswer.text()).toMatch(/nothing waits for the answer with id .*nothing was delivered/);

    // The asking call's stream, resumed through the balancer, ends once the victim's lease has run out: with an
    // error answering the call, and a resume after that ends at once.
    const resumeAsking = (lastEventId: string) =>
      fetch(cluster.url, {
        headers: { ...legacyHeaders(asking), 'last-event-id': lastEventId, accept: 'text/event-stream' },
        signal: AbortSignal.timeout(INSTANCE_LEASE_MS * 4),
      });
    const orphanEnd = await collectSse(await resumeAsking(question?.id as string));
    expect(orphanEnd.map((event) => event.data)).toEqual([
      {
        jsonrpc: '2.0',
        id: 8,
        error: { code: -32603, message: expect.stringMatching(/instance running this request stopped/) },
      },
    ]);
    expect(await collectSse(await resumeAsking(orphanEnd[0]?.id as string))).toEqual([]);

    // Every event the victim stored and the client saw is still replayable through a survivor.
    const resumed = await fetch(a.url, {
      headers: {
        ...legacyHeaders(session),
        'last-event-id': acknowledged[0]?.id as string,
        accept: 'text/event-stream',
      },
      signal: AbortSignal.timeout(5_000),
    });
    expect(resumed.status).toBe(200);
    // Read the two events the client had missed (the stream goes on to its result or, if the call died with the
    // victim, to an error once the victim's lease ran out).
    const replayed = (
      await collectSse(resumed, (event) => event.data?.params !== undefined && event.id === acknowledged[2]?.id)
    ).filter((event) => event.data !== undefined);
    await resumed.body?.cancel();
    expect(replayed.slice(0, 2).map((event) => event.id)).toEqual(acknowledged.slice(1).map((event) => event.id));

    // No task of the victim stays working past its lease: each becomes failed with a clear error.
    let recovered = 0;
    for (const taskId of orphans) {
      let task: Record<string, unknown> = {};
      await waitFor(
        `task ${taskId} to fail after its lease`,
        async () => {
          task = await modern(b.url, 'tasks/get', { taskId }, TASKS);
          return task.status !== 'working';
        },
        LEASE_MS * 6,
      );
      expect(task).toMatchObject({
        status: 'failed',
        error: { message: expect.stringMatching(/stopped before the task finished/) },
      });
      recovered++;
    }
    Object.assign(printed, {
      sent: counts.sent + after.sent,
      succeeded: counts.succeeded + after.succeeded,
      failed: counts.failed + after.failed,
      sentAfterInstanceDown: counts.sentAfterCutoff + after.sent,
      eventsReplayedAfterKill: replayed.length,
      tasksRecovered: recovered,
    });
    expect(recovered).toBe(3);
  }, 120_000);
});
