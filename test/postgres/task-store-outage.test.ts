/**
 * PostgreSQL going away under a running server whose tasks live in it: every task call that needs the store
 * (tasks/get, tasks/update, tasks/cancel, a tools/call that creates a task) gets 503 with `Retry-After` and a clear
 * JSON-RPC error instead of a masked -32603, what needs no store goes on being served, and once the database is back
 * the same calls succeed, in the same process. Two instances share one task table and one bus: `a` reaches
 * PostgreSQL directly and runs the task; `b` reaches it through a TCP proxy the test stops and starts again.
 */
import { MemoryBus, Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { PostgresTaskStore, StoreUnavailableError } from 'switchboard-mcp/postgres';
import type { Database } from 'switchboard-mcp/sql';
import { openDatabase } from 'switchboard-mcp/sql';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { legacyHeaders, modernRequest, openLegacySession, post, serves } from '../support/http.js';
import { postgresUrl } from '../support/services.js';
import { SQL_SETUP_TIMEOUT } from '../support/sql-fixture.js';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.js';

const CAPABILITIES = { extensions: { 'io.modelcontextprotocol/tasks': {} }, elicitation: {} };
const STORE_DOWN = 'Service Unavailable: a shared store is unreachable; retry shortly';

interface Reply {
  status: number;
  retryAfter: string | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

let id = 0;
async function rpc(url: string, method: string, params: Record<string, unknown>): Promise<Reply> {
  const { headers, body } = modernRequest(++id, method, params, CAPABILITIES);
  const response = await post(url, body, headers, AbortSignal.timeout(20_000));
  const reply = (await response.json()) as Omit<Reply, 'status' | 'retryAfter'>;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...reply };
}

async function result(url: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const reply = await rpc(url, method, params);
  if (reply.result === undefined) throw new Error(`${method}: ${reply.status} ${JSON.stringify(reply.error)}`);
  return reply.result;
}

/** Starts `confirm` as a task on `owner`, waits until `other` reads it parked on its question, and answers yes. */
async function parkedTask(owner: string, other: string): Promise<{ taskId: string; answer: Record<string, unknown> }> {
  const taskId = String((await result(owner, 'tools/call', { name: 'confirm', arguments: {} })).taskId);
  let key = '';
  await expect
    .poll(async () => {
      const task = await result(other, 'tasks/get', { taskId });
      key = Object.keys((task.inputRequests ?? {}) as object)[0] ?? '';
      return task.status;
    })
    .toBe('input_required');
  return { taskId, answer: { [key]: { action: 'accept', content: { ok: true } } } };
}

/** `leaseMs` 3 s: heartbeats every second, which is also when a change the store could not take is written again. */
function newServer(name: string, store: PostgresTaskStore, bus: MemoryBus): Switchboard {
  const server = new Switchboard({
    name,
    version: '1.0.0',
    stateSecret: 'x'.repeat(32),
    bus,
    tasks: { store, leaseMs: 3_000 },
  });
  server.tool('confirm', { description: 'Asks the client, as a task', task: 'optional' }, async (_args, ctx) => {
    const answer = await ctx.elicit('Proceed?', { ok: z.boolean() });
    return `${name}:${answer.action}`;
  });
  server.tool('report', { description: 'A report, as a task or not', task: 'optional' }, () => `${name}:report`);
  server.tool(
    'report_later',
    { description: 'Becomes a task when it starts', task: 'optional', taskStart: 'by-handler' },
    async (_args, ctx) => {
      await ctx.startTask();
      return `${name}:later`;
    },
  );
  return server;
}

describe.skipIf(postgresUrl() === undefined)('a PostgresTaskStore whose database goes away', () => {
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let proxied: Database;

  beforeAll(async () => {
    direct = await createTestDatabase({ url: postgresUrl() });
    const target = new URL(direct.url as string);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    proxied = await openDatabase({ url: viaProxy(direct.url as string, proxy), poolSize: 2, connectTimeoutMs: 2_000 });
  }, SQL_SETUP_TIMEOUT);
  afterAll(async () => {
    await proxied?.close();
    await proxy?.stop();
    await direct?.dispose();
  });

  it('rejects with StoreUnavailableError while the database is unreachable, and with the original error otherwise', async () => {
    const store = await PostgresTaskStore.open(proxied, { table: 'direct_tasks' });
    await proxy.stop();
    try {
      const down = await store.get('any-task').catch((error: unknown) => error);
      expect(down).toBeInstanceOf(StoreUnavailableError);
      expect((down as StoreUnavailableError).code).toBe('ERR_STORE_UNAVAILABLE');
      expect((down as Error).message).toMatch(/^The task store \(PostgreSQL\) is unreachable: /);
      await expect(store.countActive('sub:x')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await proxy.start();
    }
    // A database that answers with an error of its own (no such table) is a bug to mask, not an outage.
    const missing = new PostgresTaskStore(direct, { table: 'never_created_tasks' });
    const failure = await missing.get('any-task').catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(StoreUnavailableError);
    expect((failure as { code?: string }).code).toBe('42P01');
  });

  it('answers task calls with 503 while the database is away, and serves them again once it is back', async () => {
    const bus = new MemoryBus();
    const handles: HttpServerHandle[] = [];
    try {
      const a = await serve(newServer('a', await PostgresTaskStore.open(direct), bus), { port: 0 });
      handles.push(a);
      const b = await serve(newServer('b', await PostgresTaskStore.open(proxied), bus), { port: 0 });
      handles.push(b);
      const { taskId: parked, answer } = await parkedTask(a.url, b.url);
      const legacySession = await openLegacySession(b.url);
      // A task `b` runs itself, parked on its question too.
      const { taskId: own, answer: ownAnswer } = await parkedTask(b.url, a.url);

      await proxy.stop();
      const calls: [string, Record<string, unknown>][] = [
        ['tasks/get', { taskId: parked }],
        ['tasks/update', { taskId: parked, inputResponses: answer }],
        ['tasks/cancel', { taskId: parked }],
        ['tools/call', { name: 'report', arguments: {} }],
        ['tools/call', { name: 'report_later', arguments: {} }],
      ];
      for (const [method, params] of calls) {
        const down = await rpc(b.url, method, params);
        expect({ method, status: down.status, retryAfter: down.retryAfter, error: down.error }).toEqual({
          method,
          status: 503,
          retryAfter: '1',
          error: { code: -32603, message: STORE_DOWN, data: { retryAfterSeconds: 1 } },
        });
      }
      // What needs no task store goes on: the 2025-11-25 era has no tasks, so the same tool answers directly there;
      // and the instance that still reaches the database serves the task as before.
      const legacy = await post(
        b.url,
        JSON.stringify({ jsonrpc: '2.0', id: 'l1', method: 'tools/call', params: { name: 'report', arguments: {} } }),
        legacyHeaders(legacySession),
      );
      expect(legacy.status).toBe(200);
      expect(await legacy.text()).toContain('b:report');
      expect(await result(a.url, 'tasks/get', { taskId: parked })).toMatchObject({ status: 'input_required' });
      // A task `b` runs is answered from its memory, finishes, and is reported finished there, though not stored yet.
      expect(await rpc(b.url, 'tasks/update', { taskId: own, inputResponses: ownAnswer })).toMatchObject({
        status: 200,
        result: {},
      });
      await expect.poll(async () => (await result(b.url, 'tasks/get', { taskId: own })).status).toBe('completed');
      expect(await result(a.url, 'tasks/get', { taskId: own })).toMatchObject({ status: 'input_required' });

      await proxy.start();
      await expect
        .poll(async () => (await rpc(b.url, 'tasks/get', { taskId: parked })).status, { timeout: 10_000 })
        .toBe(200);
      expect(await rpc(b.url, 'tasks/update', { taskId: parked, inputResponses: answer })).toMatchObject({
        status: 200,
        result: {},
      });
      await expect
        .poll(async () => (await result(b.url, 'tasks/get', { taskId: parked })).status, { timeout: 10_000 })
        .toBe('completed');
      // What `b` could not store during the outage is written once the database is back: finished, not orphaned.
      await expect
        .poll(async () => (await result(a.url, 'tasks/get', { taskId: own })).status, { timeout: 10_000 })
        .toBe('completed');
      expect(await result(a.url, 'tasks/get', { taskId: own })).toMatchObject({
        result: { content: [{ type: 'text', text: 'b:accept' }] },
      });
      const created = await result(b.url, 'tools/call', { name: 'report', arguments: {} });
      expect(created).toMatchObject({ resultType: 'task' });
      const later = await result(b.url, 'tools/call', { name: 'report_later', arguments: {} });
      expect(typeof later.taskId).toBe('string');
      const working = await result(a.url, 'tools/call', { name: 'confirm', arguments: {} });
      expect(await rpc(b.url, 'tasks/cancel', { taskId: working.taskId })).toMatchObject({ status: 200, result: {} });
      expect(await result(a.url, 'tasks/get', { taskId: working.taskId })).toMatchObject({ status: 'cancelled' });
      expect(await serves(b.url)).toBe(true);
    } finally {
      for (const handle of handles) await handle.close();
    }
  }, 60_000);
});
