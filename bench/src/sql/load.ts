/**
 * Closed-loop load over Streamable HTTP: `clients` clients, each its own MCP session (initialize, then
 * notifications/initialized) on its own keep-alive connection, each keeping one tools/call in flight. Every answer
 * is parsed and checked (a JSON-RPC result that is not a tool error); anything else counts as an error.
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

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const auth: Record<string, string> = target.hash.startsWith('#bearer=')
    ? { authorization: `Bearer ${target.hash.slice('#bearer='.length)}` }
    : {};
  const pool = new Pool(target.origin, { connections: options.clients, pipelining: 1 });
  const sample = new Sample();
  let firstError: string | undefined;
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
    const start = performance.now();
    const measureFrom = start + options.warmupSeconds * 1000;
    const until = measureFrom + options.seconds * 1000;
    let next = 0;
    await Promise.all(
      sessions.map(async (headers) => {
        while (performance.now() < until) {
          const id = ++next;
          const args = options.calls[id % options.calls.length] as Args;
          const params: Record<string, unknown> = { name: options.tool, arguments: args };
          if (options.era === 'modern') params._meta = MODERN_META;
          const began = performance.now();
          let failure: string | undefined;
          try {
            const response = await pool.request({
              path: target.pathname,
              method: 'POST',
              headers,
              body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
            });
            const text = await response.body.text();
            failure = describeFailure(extractResponse(text, id), response.statusCode);
          } catch (error) {
            failure = String(error);
          }
          if (failure !== undefined && firstError === undefined && began >= measureFrom) firstError = failure;
          // Only calls started after the warm-up count (set and read in one synchronous step).
          sample.recording = began >= measureFrom;
          sample.record(performance.now() - began, failure === undefined);
        }
      }),
    );
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
