/**
 * Load over Streamable HTTP: `clients` clients, each its own MCP session (initialize, then
 * notifications/initialized) on its own keep-alive connection, each with at most one tools/call in flight. Every
 * answer is parsed and checked (a JSON-RPC result that is not a tool error); anything else counts as an error.
 *
 * Closed loop (no `rate`): every client sends its next call as soon as the last one is answered, so the figures are
 * the server's maximum throughput and, by Little's law, p50 ≈ clients ÷ req/s: mostly queueing.
 * Open loop (`rate`): calls arrive on a fixed schedule of `rate` per second in total, each taken by an idle client
 * (or queued until one is free), and latency runs from the call's scheduled arrival, so a server that falls behind
 * is charged for the wait (no coordinated omission). At a rate the server sustains, p99 is its service time.
 */
import { Pool } from 'undici';
import { extractResponse, LEGACY_VERSION, MODERN_VERSION } from '../requests.js';
import { Sample } from '../stats.js';
import type { Args } from './workload.js';

const ACCEPT = 'application/json, text/event-stream';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  firstError?: string;
}

export interface LoadOptions {
  url: string;
  tool: string;
  calls: readonly Args[];
  clients: number;
  warmupSeconds: number;
  seconds: number;
  /** 2025-11-25 sessions (every server), or the sessionless 2026-07-28 era (Switchboard). */
  era: 'legacy' | 'modern';
  /** Calls per second in total (open loop); absent, each client calls back to back (closed loop). */
  rate?: number;
}

async function openSession(pool: Pool, path: string, auth: Record<string, string>): Promise<Record<string, string>> {
  const init = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...auth },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'sql-bench', version: '1' } },
    }),
  });
  const answer = extractResponse(await init.body.text(), 0) as { result?: { protocolVersion?: string } } | undefined;
  const version = answer?.result?.protocolVersion;
  if (version === undefined) throw new Error(`initialize failed (HTTP ${init.statusCode})`);
  const session = init.headers['mcp-session-id'];
  const headers: Record<string, string> = {
    ...auth,
    'content-type': 'application/json',
    accept: ACCEPT,
    'mcp-protocol-version': version,
    ...(typeof session === 'string' ? { 'mcp-session-id': session } : {}),
  };
  const ack = await pool.request({
    path,
    method: 'POST',
    headers,
    body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
  });
  await ack.body.text();
  return headers;
}

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'sql-bench', version: '1' },
};

function describeFailure(response: Record<string, unknown> | undefined, status: number): string | undefined {
  if (response === undefined) return `HTTP ${status}, no JSON-RPC response`;
  if (response.error !== undefined) return `JSON-RPC error ${JSON.stringify(response.error).slice(0, 300)}`;
  const result = response.result as { isError?: boolean; content?: { text?: string }[] } | undefined;
  if (result === undefined) return 'no result';
  if (result.isError === true) return `tool error: ${(result.content?.[0]?.text ?? '').slice(0, 300)}`;
  return undefined;
}

/** One tools/call on a session; resolves to why it failed, or undefined when the answer is a correct result. */
type Caller = (headers: Record<string, string>, id: number) => Promise<string | undefined>;

function caller(pool: Pool, path: string, options: LoadOptions): Caller {
  return async (headers, id) => {
    const args = options.calls[id % options.calls.length] as Args;
    const params: Record<string, unknown> = { name: options.tool, arguments: args };
    if (options.era === 'modern') params._meta = MODERN_META;
    try {
      const response = await pool.request({
        path,
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
      });
      const text = await response.body.text();
      return describeFailure(extractResponse(text, id), response.statusCode);
    } catch (error) {
      return String(error);
    }
  };
}

/** Window bookkeeping shared by both loops: only calls that start (or are due) after the warm-up count. */
class Window {
  readonly sample = new Sample();
  readonly measureFrom: number;
  readonly until: number;
  firstError: string | undefined;

  constructor(options: LoadOptions) {
    this.measureFrom = performance.now() + options.warmupSeconds * 1000;
    this.until = this.measureFrom + options.seconds * 1000;
  }

  record(began: number, failure: string | undefined): void {
    const counted = began >= this.measureFrom && began < this.until;
    if (failure !== undefined && this.firstError === undefined && counted) this.firstError = failure;
    // Set and read in one synchronous step.
    this.sample.recording = counted;
    this.sample.record(performance.now() - began, failure === undefined);
  }
}

async function closedLoop(sessions: Record<string, string>[], call: Caller, window: Window): Promise<void> {
  let next = 0;
  await Promise.all(
    sessions.map(async (headers) => {
      while (performance.now() < window.until) {
        const id = ++next;
        const began = performance.now();
        window.record(began, await call(headers, id));
      }
    }),
  );
}

async function openLoop(sessions: Record<string, string>[], call: Caller, window: Window, rate: number) {
  const idle = [...sessions];
  const due: number[] = []; // scheduled arrival times waiting for an idle client
  const running = new Set<Promise<void>>();
  const interval = 1000 / rate;
  const start = performance.now();
  let next = 0;
  const dispatch = () => {
    while (due.length > 0 && idle.length > 0) {
      const scheduled = due.shift() as number;
      const headers = idle.pop() as Record<string, string>;
      const id = ++next;
      const task = call(headers, id).then((failure) => {
        window.record(scheduled, failure);
        idle.push(headers);
        running.delete(task);
        dispatch();
      });
      running.add(task);
    }
  };
  for (let arrival = 0; ; arrival++) {
    const scheduled = start + arrival * interval;
    if (scheduled >= window.until) break;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    due.push(scheduled);
    dispatch();
  }
  // Calls still queued when the window ends are charged their wait so far and end the run.
  for (const scheduled of due.splice(0)) window.record(scheduled, 'still queued when the window ended');
  await Promise.all(running);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const auth: Record<string, string> = target.hash.startsWith('#bearer=')
    ? { authorization: `Bearer ${target.hash.slice('#bearer='.length)}` }
    : {};
  const pool = new Pool(target.origin, { connections: options.clients, pipelining: 1 });
  try {
    const sessions = await Promise.all(
      Array.from({ length: options.clients }, async () =>
        options.era === 'legacy'
          ? openSession(pool, target.pathname, auth)
          : {
              ...auth,
              'content-type': 'application/json',
              accept: ACCEPT,
              'mcp-protocol-version': MODERN_VERSION,
              'mcp-method': 'tools/call',
              'mcp-name': options.tool,
            },
      ),
    );
    const call = caller(pool, target.pathname, options);
    const window = new Window(options);
    if (options.rate === undefined) await closedLoop(sessions, call, window);
    else await openLoop(sessions, call, window, options.rate);
    const { sample, firstError } = window;
    return {
      rps: sample.ok / options.seconds,
      p50: sample.percentile(50),
      p99: sample.percentile(99),
      ok: sample.ok,
      errors: sample.failed,
      ...(firstError === undefined ? {} : { firstError }),
    };
  } finally {
    await pool.close();
  }
}
