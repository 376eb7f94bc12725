import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from './line-reader.js';
import { StdioRelay } from './stdio-relay.js';

type Message = Record<string, unknown>;

/** A relay between an in-memory client and in-memory server processes, recording what each side receives. */
function setup() {
  const clientIn = new PassThrough();
  const clientOut = new PassThrough();
  const toClient: Message[] = [];
  readLines(clientOut, (line) => toClient.push(JSON.parse(line)));
  let ended = false;
  const relay = new StdioRelay(clientIn, clientOut, () => {
    ended = true;
  });
  const processes: { received: Message[]; answer: (message: Message) => void; stdin: PassThrough }[] = [];
  const spawn = () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const received: Message[] = [];
    readLines(stdin, (line) => received.push(JSON.parse(line)));
    relay.attach({ stdin, stdout });
    const server = { received, stdin, answer: (message: Message) => stdout.write(`${JSON.stringify(message)}\n`) };
    processes.push(server);
    return server;
  };
  const send = (message: Message) => clientIn.write(`${JSON.stringify(message)}\n`);
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return { relay, spawn, send, flush, toClient, processes, end: () => clientIn.end(), ended: () => ended };
}

const initialize = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25' } };
const initResult = {
  jsonrpc: '2.0',
  id: 0,
  result: { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true }, prompts: {} } },
};

describe('StdioRelay', () => {
  it('replays the session to a new process, swallows its answers and announces the changed lists', async () => {
    const t = setup();
    const first = t.spawn();
    t.send(initialize);
    t.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    t.send({ jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'debug' } });
    t.send({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'a://1' } });
    await t.flush();
    first.answer(initResult);
    await t.flush();
    expect(first.received.map((m) => m.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'logging/setLevel',
      'resources/subscribe',
    ]);

    t.relay.hold();
    t.relay.detach();
    const second = t.spawn();
    await t.flush();
    expect(second.received.map((m) => m.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'logging/setLevel',
      'resources/subscribe',
    ]);
    expect(second.received.map((m) => m.id)).toEqual([
      'switchboard-dev:replay:1',
      undefined,
      'switchboard-dev:replay:2',
      'switchboard-dev:replay:3',
    ]);
    second.answer({ ...initResult, id: 'switchboard-dev:replay:1' });
    t.relay.announceReload();
    await t.flush();
    const after = t.toClient.slice(1);
    // The client sees the answers the first process owed it (setLevel, subscribe failed on detach), no replay answers.
    expect(after.filter((m) => String(m.id).startsWith('switchboard-dev'))).toEqual([]);
    expect(after.at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  });

  it('answers what a stopped process left unanswered, and holds what arrives during the reload', async () => {
    const t = setup();
    const first = t.spawn();
    t.send({ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: {} });
    await t.flush();
    t.relay.hold();
    t.send({ jsonrpc: '2.0', id: 'b', method: 'tools/call', params: {} });
    await t.flush();
    expect(first.received.map((m) => m.id)).toEqual(['a']);
    t.relay.detach();
    await t.flush();
    expect(t.toClient).toEqual([
      {
        jsonrpc: '2.0',
        id: 'a',
        error: { code: -32603, message: expect.stringContaining('reloaded before answering') },
      },
    ]);
    const second = t.spawn();
    await t.flush();
    expect(second.received.map((m) => m.id)).toEqual(['b']);
  });

  it('answers at once while no process can serve, and ends the process input when the client leaves', async () => {
    const t = setup();
    const first = t.spawn();
    t.relay.detach();
    t.relay.down('the entry failed to load');
    t.send({ jsonrpc: '2.0', id: 9, method: 'tools/list' });
    t.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: {} });
    await t.flush();
    expect(t.toClient).toEqual([
      { jsonrpc: '2.0', id: 9, error: { code: -32603, message: 'the entry failed to load' } },
    ]);
    const second = t.spawn();
    let secondEnded = false;
    second.stdin.on('finish', () => {
      secondEnded = true;
    });
    t.end();
    await t.flush();
    expect(t.ended()).toBe(true);
    t.relay.end();
    await t.flush();
    expect(secondEnded).toBe(true);
    expect(first.received).toEqual([]);
  });
});
