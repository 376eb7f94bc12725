import { LATEST_LEGACY_VERSION } from '../../protocol/versions.js';
import type { CheckResult } from './check.js';
import { fail, pass, skip, warn } from './check.js';
import { initializeRequest, modernRequest } from './mcp-requests.js';
import type { Answer } from './probe.js';
import { responseWithId, send } from './probe.js';
import type { Bearer } from './transport-checks.js';

type Json = Record<string, unknown>;

/** Runs per measurement; the report shows the median, so one slow run (a cold cache) does not decide. */
const RUNS = 5;
/** Above this median a client's tool picker feels slow; a warning, not a failure. */
const SLOW_MS = 1_000;

/** Sends one request in the era the server answered, keeping a 2025-era session when that is the one. */
async function requester(url: string, bearer: Bearer, modern: boolean) {
  let session: Record<string, string> = {};
  if (!modern) {
    const init = initializeRequest(0);
    const answer = await send(url, { method: 'POST', headers: { ...init.headers, ...bearer }, body: init.body });
    const id = answer.headers.get('mcp-session-id');
    session = { 'mcp-protocol-version': LATEST_LEGACY_VERSION, ...(id !== null ? { 'mcp-session-id': id } : {}) };
    await send(url, {
      method: 'POST',
      headers: { ...init.headers, ...bearer, ...session },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
  }
  let next = 1;
  return (method: string, params: Json = {}): Promise<Answer> => {
    const id = next++;
    const request = modern
      ? modernRequest(id, method, params)
      : {
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...session },
          body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        };
    return send(url, { method: 'POST', headers: { ...request.headers, ...bearer }, body: request.body }).then((a) => ({
      ...a,
      messages: a.messages.map((m) => (m.id === id ? { ...m, id: 1 } : m)),
    }));
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function measure(call: () => Promise<Answer>): Promise<{ ms: number; error?: string }> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const answer = await call();
    const reply = responseWithId(answer, 1);
    if (answer.status !== 200 || reply?.result === undefined) {
      return { ms: 0, error: `HTTP ${answer.status} ${JSON.stringify(reply?.error ?? answer.text.slice(0, 120))}` };
    }
    if ((reply.result as Json).isError === true) return { ms: 0, error: 'the tool answered isError' };
    times.push(answer.ms);
  }
  return { ms: median(times) };
}

/** Latency of `tools/list`, and of `tools/call` on a tool marked read-only that needs no arguments. */
export async function checkLatency(
  url: string,
  bearer: Bearer,
  era: 'modern' | 'legacy' | undefined,
): Promise<CheckResult[]> {
  if (era === undefined) {
    return [
      skip('latency-list', listTitle, 'no era answered (sign in first if the server needs a token)'),
      skip('latency-call', callTitle, 'no era answered'),
    ];
  }
  try {
    return await measureTools(url, bearer, era);
  } catch (error) {
    const detail = `no answer: ${(error as Error).message}`;
    return [
      fail('latency-list', listTitle, detail, 'tools/list must answer: clients list tools on connect'),
      skip('latency-call', callTitle, detail),
    ];
  }
}

const listTitle = 'latency: tools/list';
const callTitle = 'latency: tools/call (read-only tool)';

async function measureTools(url: string, bearer: Bearer, era: 'modern' | 'legacy'): Promise<CheckResult[]> {
  const request = await requester(url, bearer, era === 'modern');
  const list = await measure(() => request('tools/list'));
  if (list.error !== undefined) {
    return [
      fail('latency-list', listTitle, list.error, 'tools/list must answer: clients list tools on connect'),
      skip('latency-call', callTitle, 'tools/list failed'),
    ];
  }
  const rated = (ms: number, id: 'latency-list' | 'latency-call', title: string, detail: string) =>
    ms > SLOW_MS
      ? warn(
          id,
          title,
          `${detail}: median ${Math.round(ms)} ms of ${RUNS}`,
          'look at what runs per request (a database round trip, a cold start); clients wait on it at every turn',
        )
      : pass(id, title, `${detail}: median ${Math.round(ms)} ms of ${RUNS}`);
  const results = [rated(list.ms, 'latency-list', listTitle, 'tools/list')];
  const tools = ((responseWithId(await request('tools/list'), 1)?.result as Json | undefined)?.tools ?? []) as Json[];
  const readOnly = tools.find((tool) => {
    const annotations = tool.annotations as Json | undefined;
    const required = (tool.inputSchema as Json | undefined)?.required;
    return annotations?.readOnlyHint === true && (!Array.isArray(required) || required.length === 0);
  });
  if (readOnly === undefined) {
    results.push(skip('latency-call', callTitle, 'no tool is marked readOnlyHint and callable without arguments'));
    return results;
  }
  const call = await measure(() => request('tools/call', { name: readOnly.name, arguments: {} }));
  results.push(
    call.error !== undefined
      ? fail(
          'latency-call',
          callTitle,
          `${String(readOnly.name)}: ${call.error}`,
          'a read-only tool without arguments should answer',
        )
      : rated(call.ms, 'latency-call', callTitle, String(readOnly.name)),
  );
  return results;
}
