import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  LEGACY,
  legacyHeaders,
  modernHeaders,
  modernMeta,
  openLegacySession,
  post,
  serves,
  startServer,
} from '../support/http.js';

// Issue 6: 40 requests of 3 MB each, of the kinds a client could make the server keep, retain at most a few MB.
// `--expose-gc` set at run time, so this works under plain `vitest run` with no special pool options.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const REQUESTS = 40;
const PAYLOAD = 3 * 1024 * 1024;
const ALLOWED = 8 * 1024 * 1024;
const TASKS = { 'io.modelcontextprotocol/tasks': {} };

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const started = await startServer(
    (server) => {
      server.tool('store', { input: { blob: z.string() }, task: 'optional' }, ({ blob }) => blob);
      server.resource('notes://one', { name: 'one' }, () => 'one');
    },
    { maxBodyBytes: 4 * 1024 * 1024 },
  );
  url = started.url;
  close = started.close;
});
afterAll(() => close());

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** Runs `send` REQUESTS times and returns the heap growth that survives a forced GC. */
async function retainedBy(send: (i: number) => Promise<void>): Promise<number> {
  await send(-1);
  const before = await heapAfterGc();
  for (let i = 0; i < REQUESTS; i++) await send(i);
  const after = await heapAfterGc();
  return after - before;
}

const blob = (i: number) => `${i}`.padEnd(PAYLOAD, 'x');

describe('hostile input is not kept in proportion to its bytes', () => {
  it('initialize with 3 MB of capabilities, each opening a session', { timeout: 120_000 }, async () => {
    const retained = await retainedBy(async (i) => {
      const response = await post(
        url,
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: LEGACY,
            capabilities: { experimental: { pad: blob(i) } },
            clientInfo: { name: 'x', version: '1' },
          },
        }),
        { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      );
      const reply = JSON.parse(await response.text());
      expect(reply.error.code).toBe(-32602);
      expect(response.headers.get('mcp-session-id')).toBeNull();
    });
    expect(retained).toBeLessThan(ALLOWED);
    expect(await serves(url)).toBe(true);
  });

  it('resources/subscribe with 3 MB URIs in one session', { timeout: 120_000 }, async () => {
    const session = await openLegacySession(url);
    const retained = await retainedBy(async (i) => {
      const response = await post(
        url,
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: `notes://${blob(i)}` } }),
        legacyHeaders(session),
      );
      expect(JSON.parse(await response.text()).error.code).toBe(-32602);
    });
    expect(retained).toBeLessThan(ALLOWED);
    const ok = await post(
      url,
      JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'resources/subscribe', params: { uri: 'notes://one' } }),
      legacyHeaders(session),
    );
    expect(JSON.parse(await ok.text()).result).toEqual({});
  });

  it('task-mode calls whose arguments hold 3 MB', { timeout: 120_000 }, async () => {
    const retained = await retainedBy(async (i) => {
      const text = JSON.stringify({
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'store', arguments: { blob: blob(i) }, _meta: modernMeta({ extensions: TASKS }) },
      });
      const response = await post(url, text, modernHeaders('tools/call', 'store'));
      expect(response.status).toBeLessThan(500);
      const reply = JSON.parse(await response.text());
      expect(reply.result.resultType).toBe('task');
    });
    expect(retained).toBeLessThan(ALLOWED);
  });
});
