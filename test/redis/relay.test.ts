/**
 * A 2025-era client's answer relayed between two instances over the Redis bus, when the instance that asked is
 * cut off from Redis for a moment: the answer is published while it cannot hear, published again, and taken once it
 * is back; the client gets its 202 only then. Two servers in this process, one reaching Redis through a TCP proxy
 * the test cuts, so each step can pick its instance.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { redis } from 'switchboard-mcp/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SseEvent } from '../support/http.js';
import { legacyHeaders, openLegacySession, post, readSse } from '../support/http.js';
import { redisUrl } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const url = redisUrl();

const aborted: string[] = [];
let running: () => void = () => {};

function newServer(name: string, stores: ReturnType<typeof redis>): Switchboard {
  const server = new Switchboard({ name, version: '1.0.0', stores, stateSecret: 'x'.repeat(32) });
  server.tool('confirm', { description: 'Asks the client' }, async (_args, ctx) => {
    const answer = await ctx.elicit('Proceed?', { ok: z.boolean() });
    return `${name}:${answer.action}`;
  });
  server.tool('wait', { description: 'Runs until cancelled' }, async (_args, ctx) => {
    running();
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    aborted.push(name);
    return 'stopped';
  });
  return server;
}

/** Two servers sharing one Redis prefix, both connected straight to Redis. */
async function twoInstances(relayTimeoutMs: number) {
  const prefix = `sbrelay:${randomBytes(4).toString('hex')}:`;
  const stores = [redis(url as string, { prefix }), redis(url as string, { prefix })] as const;
  const a = await serve(newServer('a', stores[0]), { port: 0, relayTimeoutMs });
  const b = await serve(newServer('b', stores[1]), { port: 0, relayTimeoutMs });
  cleanup.push(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(stores.map((shared) => shared.close()));
  });
  return { a, b };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe.skipIf(url === undefined)('relayed answers over the Redis bus', () => {
  it('delivers an answer published while the asking instance was cut off from Redis, and only then answers 202', async () => {
    const target = new URL(url as string);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const prefix = `sbrelay:${randomBytes(4).toString('hex')}:`;
    const throughProxy = new URL(url as string);
    throughProxy.port = String(proxy.port);
    const storesA = redis(throughProxy.toString(), { prefix });
    const storesB = redis(url as string, { prefix });
    const a = await serve(newServer('a', storesA), { port: 0, relayTimeoutMs: 20_000 });
    const b = await serve(newServer('b', storesB), { port: 0, relayTimeoutMs: 20_000 });
    cleanup.push(async () => {
      await Promise.all([a, b].map((handle: HttpServerHandle) => handle.close()));
      await Promise.all([storesA.close(), storesB.close()]);
    });
    // The test hears the bus too, to know when b has published the answer a cannot hear yet.
    const listener = new Redis(url as string);
    cleanup.push(async () => void listener.disconnect());
    let published!: () => void;
    const relayPublished = new Promise<void>((resolve) => {
      published = resolve;
    });
    listener.on('message', (_channel: string, message: string) => {
      if ((JSON.parse(message) as { type: string }).type === 'session/relay') published();
    });
    await listener.subscribe(`${prefix}events`);

    const session = await openLegacySession(a.url, { elicitation: {} });
    const call = await post(
      a.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'confirm', arguments: {} } }),
      legacyHeaders(session),
      AbortSignal.timeout(30_000),
    );
    const events = readSse(call);
    let question: SseEvent | undefined;
    while (question?.data?.method !== 'elicitation/create') question = (await events.next()).value as SseEvent;

    await proxy.stop();
    const answering = post(
      b.url,
      JSON.stringify({ jsonrpc: '2.0', id: question.data.id, result: { action: 'accept', content: { ok: true } } }),
      legacyHeaders(session),
    );
    await relayPublished;
    await proxy.start();
    const answered = await answering;
    expect(answered.status).toBe(202);
    const rest: SseEvent[] = [];
    for await (const event of events) rest.push(event);
    expect(rest.at(-1)?.data).toMatchObject({ id: 1, result: { content: [{ text: 'a:accept' }] } });
  }, 60_000);

  it('relays a cancellation to the instance running the call (202), and refuses one no instance takes (409)', async () => {
    const { a, b } = await twoInstances(500);
    const session = await openLegacySession(a.url);
    const started = new Promise<void>((resolve) => {
      running = resolve;
    });
    const call = post(
      a.url,
      JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'wait', arguments: {} } }),
      legacyHeaders(session),
      AbortSignal.timeout(30_000),
    );
    await started;
    const cancel = (requestId: unknown) =>
      post(
        b.url,
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId } }),
        legacyHeaders(session),
      );
    expect((await cancel(4)).status).toBe(202);
    expect(aborted).toContain('a');
    await (await call).body?.cancel();
    // Across processes "nobody took it" may mean the instance running it is gone: the client hears so.
    const nowhere = await cancel('never-sent');
    expect(nowhere.status).toBe(409);
    const { error } = (await nowhere.json()) as { error: { message: string } };
    expect(error.message).toMatch(/no request with id "never-sent" is running to cancel.*nothing was delivered/);
    const answer = await post(
      b.url,
      JSON.stringify({ jsonrpc: '2.0', id: 'no-question', result: { action: 'accept' } }),
      legacyHeaders(session),
    );
    expect(answer.status).toBe(409);
  });
});
