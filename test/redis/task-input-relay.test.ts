/**
 * A task's answers (`tasks/update`) given through an instance other than the one running the task: relayed over the
 * Redis bus, and answered success only once the instance running the task took them — also when that instance is
 * cut off from Redis for a moment (the answers are published again and taken once it is back), and never when it is
 * gone. Two servers in this process with tasks in PostgreSQL (PGlite without DATABASE_URL), one reaching Redis
 * through a TCP proxy the test cuts.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { redis } from 'switchboard-mcp/redis';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modernRequest, post } from '../support/http.js';
import { postgresUrl, redisUrl } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const url = redisUrl();
const CAPABILITIES = { extensions: { 'io.modelcontextprotocol/tasks': {} }, elicitation: {} };
const ACCEPT = { action: 'accept', content: { ok: true } };

let db: TestDatabase;
beforeAll(async () => {
  if (url !== undefined) db = await createTestDatabase({ url: postgresUrl() });
}, 60_000);
afterAll(async () => {
  await db?.dispose();
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Instance {
  url: string;
  handle: HttpServerHandle;
}

/** Servers sharing one Redis prefix and one task table; each reaches Redis at its own URL (direct or a proxy). */
async function instances(redisUrls: string[], tasks: { relayTimeoutMs?: number; leaseMs?: number } = {}) {
  const prefix = `sbtaskin:${randomBytes(4).toString('hex')}:`;
  const started: Instance[] = [];
  for (const [index, at] of redisUrls.entries()) {
    const name = String.fromCharCode(97 + index);
    const server = new Switchboard({
      name,
      version: '1.0.0',
      stores: redis(at, { prefix, database: db }),
      stateSecret: 'x'.repeat(32),
      tasks,
    });
    server.tool('confirm', { description: 'Asks the client, as a task', task: 'optional' }, async (_args, ctx) => {
      const answer = await ctx.elicit('Proceed?', { ok: z.boolean() });
      return `${name}:${answer.action}`;
    });
    const handle = await serve(server, { port: 0 });
    started.push({ url: handle.url, handle });
  }
  cleanup.push(async () => void (await Promise.all(started.map(({ handle }) => handle.close()))));
  return { prefix, started };
}

interface Reply {
  status: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

async function rpc(at: string, method: string, params: Record<string, unknown>): Promise<Reply> {
  const { headers, body } = modernRequest(randomBytes(4).toString('hex'), method, params, CAPABILITIES);
  const response = await post(at, body, headers, AbortSignal.timeout(40_000));
  return { status: response.status, ...((await response.json()) as Omit<Reply, 'status'>) };
}

async function result(at: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const reply = await rpc(at, method, params);
  if (reply.result === undefined) throw new Error(`${method} failed: ${reply.status} ${JSON.stringify(reply.error)}`);
  return reply.result;
}

/** Starts the task on `owner`, and reads through `other` the key of the question it is parked on. */
async function parkedTask(owner: Instance, other: Instance): Promise<{ taskId: string; key: string }> {
  const created = await result(owner.url, 'tools/call', { name: 'confirm', arguments: {} });
  const taskId = String(created.taskId);
  let task: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        task = await result(other.url, 'tasks/get', { taskId });
        return task.status;
      },
      { timeout: 10_000 },
    )
    .toBe('input_required');
  const [key] = Object.keys(task.inputRequests as object);
  return { taskId, key: key as string };
}

async function settledTask(at: string, taskId: string): Promise<Record<string, unknown>> {
  let task: Record<string, unknown> = {};
  await expect
    .poll(
      async () => {
        task = await result(at, 'tasks/get', { taskId });
        return task.status;
      },
      { timeout: 10_000 },
    )
    .not.toMatch(/^(working|input_required)$/);
  return task;
}

describe.skipIf(url === undefined)('task input relayed over the Redis bus', () => {
  it('delivers answers given through another instance to the task, and answers tasks/update once they were taken', async () => {
    const { started } = await instances([url as string, url as string]);
    const [a, b] = started as [Instance, Instance];
    const { taskId, key } = await parkedTask(a, b);
    expect(await rpc(b.url, 'tasks/update', { taskId, inputResponses: { [key]: ACCEPT } })).toMatchObject({
      status: 200,
      result: {},
    });
    expect(await settledTask(b.url, taskId)).toMatchObject({
      status: 'completed',
      result: { content: [{ text: 'a:accept' }] },
    });
  });

  it('publishes answers again while the task’s instance is cut off from Redis, and succeeds only once it took them', async () => {
    const target = new URL(url as string);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const throughProxy = new URL(url as string);
    throughProxy.port = String(proxy.port);
    const { prefix, started } = await instances([throughProxy.toString(), url as string], { relayTimeoutMs: 20_000 });
    const [a, b] = started as [Instance, Instance];
    // The test hears the bus too, to know when b has published the answers a cannot hear, and published them again.
    const listener = new Redis(url as string);
    cleanup.push(async () => void listener.disconnect());
    const relayIds: string[] = [];
    let republished!: () => void;
    const publishedTwice = new Promise<void>((resolve) => {
      republished = resolve;
    });
    listener.on('message', (_channel: string, message: string) => {
      const event = JSON.parse(message) as { type: string; relayId?: string };
      if (event.type !== 'tasks/input') return;
      relayIds.push(event.relayId as string);
      if (relayIds.length === 2) republished();
    });
    await listener.subscribe(`${prefix}events`);
    const { taskId, key } = await parkedTask(a, b);

    await proxy.stop();
    const updating = rpc(b.url, 'tasks/update', { taskId, inputResponses: { [key]: ACCEPT } });
    await Promise.race([
      publishedTwice,
      updating.then((reply) => {
        throw new Error(`tasks/update answered while the task's instance could not hear: ${JSON.stringify(reply)}`);
      }),
    ]);
    expect(new Set(relayIds).size).toBe(1);
    await proxy.start();
    expect(await updating).toMatchObject({ status: 200, result: {} });
    expect(await settledTask(b.url, taskId)).toMatchObject({
      status: 'completed',
      result: { content: [{ text: 'a:accept' }] },
    });
  }, 60_000);

  it('refuses answers for a task whose instance is gone, which then fails once its lease runs out', async () => {
    const { started } = await instances([url as string, url as string], { relayTimeoutMs: 500, leaseMs: 3_000 });
    const [a, b] = started as [Instance, Instance];
    const { taskId, key } = await parkedTask(a, b);
    await a.handle.close();
    const refused = await rpc(b.url, 'tasks/update', { taskId, inputResponses: { [key]: ACCEPT } });
    expect(refused).toMatchObject({
      status: 409,
      error: {
        code: -32600,
        message: `Task "${taskId}" is not running on any instance that can take its input (it finished, or the instance running it stopped); nothing was delivered`,
      },
    });
    expect(await settledTask(b.url, taskId)).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/stopped before the task finished/) },
    });
  }, 30_000);
});
