import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Switchboard } from 'switchboard-mcp';
import { serveStdio } from 'switchboard-mcp/stdio';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connect } from '../support/stdio.js';

const meta = (capabilities = {}) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': capabilities,
});
const add = (id: number | string, a = 1, b = 2) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'add', arguments: { a, b }, _meta: meta() },
});

/** A tool whose calls finish only when the test says so, so "in flight" is a fact rather than a race. */
function gatedServer() {
  const s = new Switchboard({ name: 'limits', version: '1.0.0' });
  s.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  s.tool('gated', {}, async () => {
    started();
    await gate;
    return 'finished';
  });
  s.tool('ask', {}, async (_args, ctx) => {
    const answer = await ctx.elicit('Name?', { name: z.string() });
    return answer.action;
  });
  return { server: s, open, running };
}

describe('stdio limits and shutdown', () => {
  it('refuses an over-long line with -32600, skips the rest of it, and serves the next message', async () => {
    const c = connect(gatedServer().server, { maxMessageBytes: 1000 });
    // Sent in many small chunks with no newline until the end, as a slow pipe would deliver it.
    for (let i = 0; i < 50; i++) c.input.write('x'.repeat(100));
    c.input.write('\n');
    const error = await c.next((l) => (l.error as { code?: number } | undefined)?.code === -32600);
    expect((error.error as { message: string }).message).toBe('Invalid Request: message longer than 1000 bytes');
    expect(error).not.toHaveProperty('id');
    c.send(add(1));
    expect(await c.reply(1)).toMatchObject({ result: { content: [{ text: '3' }] } });
    expect(c.lines.filter((l) => l.error !== undefined)).toEqual([]);
    c.end();
  });

  it('still reassembles a long line that stays within the limit', async () => {
    const c = connect(gatedServer().server, { maxMessageBytes: 1_000_000 });
    const line = JSON.stringify({
      ...add(2),
      params: { ...add(2).params, _meta: { ...meta(), pad: 'p'.repeat(500_000) } },
    });
    for (let i = 0; i < line.length; i += 65_536) c.input.write(line.slice(i, i + 65_536));
    c.input.write('\n');
    expect(await c.reply(2)).toMatchObject({ result: { content: [{ text: '3' }] } });
    c.end();
  });

  it('refuses a second request with the id of one still in flight, and answers the first', async () => {
    const { server, open, running } = gatedServer();
    const c = connect(server);
    c.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'gated', arguments: {}, _meta: meta() } });
    await running;
    c.send(add(7));
    const duplicate = await c.next((l) => l.id === 7 && l.error !== undefined);
    expect(duplicate.error).toMatchObject({ code: -32600, message: expect.stringContaining('still in flight') });
    open();
    expect(await c.reply(7)).toMatchObject({ result: { content: [{ text: 'finished' }] } });
    c.end();
  });

  it('lets calls in flight finish and writes their results when the client closes stdin', async () => {
    const { server, open, running } = gatedServer();
    const c = connect(server, { drainTimeoutMs: 60_000 });
    c.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'gated', arguments: {}, _meta: meta() } });
    await running;
    let closed = false;
    void c.closed.then(() => {
      closed = true;
    });
    const ended = once(c.input, 'end');
    c.end();
    await ended;
    // The connection has seen stdin close, but the call is still running: it must not be closed yet.
    await Promise.resolve();
    expect(closed).toBe(false);
    open();
    await c.closed;
    expect(c.lines.find((l) => l.id === 1)).toMatchObject({ result: { content: [{ text: 'finished' }] } });
  });

  it('ends subscriptions and fails unanswerable questions at once when stdin closes', async () => {
    const { server } = gatedServer();
    const c = connect(server, { drainTimeoutMs: 60_000 });
    c.send({
      jsonrpc: '2.0',
      id: 'listen',
      method: 'subscriptions/listen',
      params: { notifications: { toolsListChanged: true }, _meta: meta() },
    });
    await c.next((l) => l.method === 'notifications/subscriptions/acknowledged');
    c.send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: {} },
        clientInfo: { name: 'c', version: '1' },
      },
    });
    await c.reply(0);
    c.send({ jsonrpc: '2.0', id: 'ask', method: 'tools/call', params: { name: 'ask', arguments: {} } });
    await c.next((l) => l.method === 'elicitation/create');
    c.end();
    // Neither the subscription nor the unanswered question may hold the connection open (the drain allows 60 s).
    await c.closed;
    expect(c.lines.find((l) => l.id === 'ask')).toMatchObject({
      result: { isError: true, content: [{ text: expect.stringContaining('closed the connection') }] },
    });
  });

  it('withdraws its question when the call that asked is cancelled, and reports a question answered with an error', async () => {
    const c = connect(gatedServer().server);
    c.send({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: {} },
        clientInfo: { name: 'c', version: '1' },
      },
    });
    await c.reply(0);
    c.send({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'ask', arguments: {} } });
    const first = await c.next((l) => l.method === 'elicitation/create');
    c.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'a' } });
    expect(await c.next((l) => l.method === 'notifications/cancelled')).toMatchObject({
      params: { requestId: first.id },
    });
    c.send({ jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'ask', arguments: {} } });
    const second = await c.next((l) => l.method === 'elicitation/create');
    c.send({ jsonrpc: '2.0', id: second.id, error: { code: -32603, message: 'dialog crashed' } });
    expect(await c.reply('b')).toMatchObject({
      result: {
        isError: true,
        content: [{ text: 'The client answered elicitation/create with an error: dialog crashed' }],
      },
    });
    expect(c.lines.find((l) => l.id === 'a')).toBeUndefined();
    c.end();
  });

  it('stops reading requests while the client is not reading replies, and resumes when it does', async () => {
    const s = gatedServer().server;
    const input = new PassThrough();
    const written: string[] = [];
    let release: (() => void) | undefined;
    // An output that accepts one chunk, then holds its callback until the test releases it (a full pipe).
    const output = new Writable({
      highWaterMark: 16,
      write(chunk, _encoding, callback) {
        written.push(String(chunk));
        release = callback;
      },
    });
    const handle = serveStdio(s, { input, output });
    for (let i = 1; i <= 20; i++) input.write(`${JSON.stringify(add(i, i, 0))}\n`);
    await expect.poll(() => input.isPaused()).toBe(true);
    while (written.join('').split('\n').length <= 20) {
      await expect.poll(() => release).toBeDefined();
      const next = release;
      release = undefined;
      next?.();
    }
    const replies = written
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { id: number; result: { content: { text: string }[] } });
    expect(replies.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const reply of replies) expect(reply.result.content[0]?.text).toBe(String(reply.id));
    release?.();
    await expect.poll(() => input.isPaused()).toBe(false);
    input.end();
    await handle.closed;
  });

  it('keeps console.log off stdout in a real stdio server process', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=switchboard-source',
        '--import',
        'tsx',
        fileURLToPath(new URL('./console-server.ts', import.meta.url)),
        '--stdio',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SWITCHBOARD_LOG_LEVEL: 'silent' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.end(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'chatty', arguments: {}, _meta: meta() } })}\n`,
    );
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ id: 1, result: { content: [{ text: 'done' }] } });
    expect(stderr).toContain('debug output from a tool');
    expect(stderr).toContain("note: 'an object'");
  });
});
