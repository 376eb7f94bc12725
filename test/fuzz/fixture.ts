import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
const TASKS = { 'io.modelcontextprotocol/tasks': {} };

/** The server every fuzz run attacks: one of each kind of thing a method can reach. */
export function fuzzServer(): Switchboard {
  const server = new Switchboard({
    name: 'fuzz',
    version: '1.0.0',
    stateSecret: 'fuzz-secret-fuzz-secret-fuzz-secret!',
    limits: { maxSessionStateBytes: 16 * 1024 },
  });
  server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
  server.tool('region', { input: { region: z.string().meta({ 'x-mcp-header': 'Region' }) } }, ({ region }) => region);
  server.tool('store', { input: { blob: z.string().optional() }, task: 'optional' }, ({ blob }) => blob ?? 'stored');
  server.prompt('greet', { args: { name: z.string() }, complete: { name: () => ['Ada'] } }, ({ name }) => `Hi ${name}`);
  server.resource('notes://1', { name: 'one' }, () => 'one');
  server.resourceTemplate('notes://note/{id}', { name: 'note', complete: { id: () => ['1'] } }, (uri) => ({
    text: uri,
  }));
  return server;
}

const meta = (capabilities: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': capabilities,
  'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' },
});

/** A valid request of every method a client may send, in the body form of each era. */
export function validRequests(era: 'modern' | 'legacy'): Record<string, unknown>[] {
  const params: [string, Record<string, unknown>][] = [
    ['tools/list', {}],
    ['tools/call', { name: 'add', arguments: { a: 1, b: 2 } }],
    ['tools/call', { name: 'region', arguments: { region: 'eu' } }],
    ['tools/call', { name: 'store', arguments: { blob: 'b' } }],
    ['prompts/list', {}],
    ['prompts/get', { name: 'greet', arguments: { name: 'Ada' } }],
    ['resources/list', {}],
    ['resources/templates/list', {}],
    ['resources/read', { uri: 'notes://1' }],
    ['resources/read', { uri: 'notes://note/7' }],
    ['completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'A' } }],
    [
      'completion/complete',
      { ref: { type: 'ref/resource', uri: 'notes://note/{id}' }, argument: { name: 'id', value: '' } },
    ],
  ];
  if (era === 'modern') {
    params.push(
      ['server/discover', {}],
      ['subscriptions/listen', { notifications: { toolsListChanged: true } }],
      ['tasks/get', { taskId: 'no-such-task' }],
      ['tasks/update', { taskId: 'no-such-task', inputResponses: {} }],
      ['tasks/cancel', { taskId: 'no-such-task' }],
      ['tools/call', { name: 'add', arguments: { a: 1, b: 2 }, requestState: 'abc.def', inputResponses: {} }],
    );
  } else {
    params.push(
      ['ping', {}],
      ['logging/setLevel', { level: 'info' }],
      ['resources/subscribe', { uri: 'notes://1' }],
      ['resources/unsubscribe', { uri: 'notes://1' }],
      ['initialize', { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } }],
    );
  }
  const requests = params.map(([method, p], i) => {
    const body: Record<string, unknown> = { jsonrpc: '2.0', id: i + 1, method, params: p };
    if (era === 'modern') body.params = { ...p, _meta: meta(method.startsWith('tasks/') ? { extensions: TASKS } : {}) };
    return body;
  });
  // Notifications and a response to a question nobody asked belong to the attack surface too.
  requests.push({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
  requests.push({ jsonrpc: '2.0', id: 'sb-1', result: {} });
  return requests;
}

/** The headers a well-behaved client sends with `body` (2026-07-28 mirrors method and name). */
export function headersFor(
  era: 'modern' | 'legacy',
  host: string,
  body: Record<string, unknown>,
  session: string,
): [string, string][] {
  const headers: [string, string][] = [
    ['host', host],
    ['content-type', 'application/json'],
    ['accept', 'application/json, text/event-stream'],
  ];
  if (era === 'legacy') {
    headers.push(['mcp-protocol-version', LEGACY]);
    if (body.method !== 'initialize') headers.push(['mcp-session-id', session]);
    return headers;
  }
  headers.push(['mcp-protocol-version', MODERN]);
  if (typeof body.method === 'string') headers.push(['mcp-method', body.method]);
  const p = (body.params ?? {}) as Record<string, unknown>;
  const name = p.name ?? p.uri ?? p.taskId;
  if (typeof name === 'string') headers.push(['mcp-name', name]);
  const args = p.arguments as Record<string, unknown> | undefined;
  if (p.name === 'region' && typeof args?.region === 'string') headers.push(['mcp-param-region', args.region]);
  return headers;
}
