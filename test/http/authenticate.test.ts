import type { AuthInfo } from 'switchboard-mcp';
import { ProtocolError, Switchboard } from 'switchboard-mcp';
import type { Authenticate } from 'switchboard-mcp/http';
import { AuthChallenge, createFetchHandler, createNodeHandler, serve } from 'switchboard-mcp/http';
import { captureLogs } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LEGACY,
  legacyHeaders,
  modernRequest,
  post,
  serves,
  startFetchServer,
  startNodeServer,
} from '../support/http.js';

const CHALLENGE = 'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"';
const PEOPLE: Record<string, AuthInfo> = {
  'token-alice': {
    subject: 'alice',
    clientId: 'app',
    scopes: ['leads:read'],
    expiresAt: 4102444800,
    claims: { sub: 'alice', iss: 'https://as.test' },
  },
  'token-bob': { subject: 'bob', clientId: 'app', scopes: [], claims: { sub: 'bob', iss: 'https://as.test' } },
};

/** A static test verifier: the shape the OAuth verifiers take. */
const verify: Authenticate = (request) => {
  const header = request.header('authorization');
  if (header === undefined) return new AuthChallenge(401, CHALLENGE);
  if (header === 'Bearer explode') throw new Error('introspection endpoint at 10.0.0.7 refused: secret=hunter2');
  if (header === 'Bearer thrown-challenge') throw new AuthChallenge(403, 'Bearer error="insufficient_scope"');
  const person = PEOPLE[header.replace(/^Bearer /, '')];
  return person ?? new AuthChallenge(401, `${CHALLENGE}, error="invalid_token"`);
};

function register(server: Switchboard): void {
  server.tool('whoami', {}, (_args, ctx) => ({ auth: ctx.auth }));
  server.tool('forbidden', {}, () => {
    throw new ProtocolError(-32003, 'Forbidden: needs leads:write', undefined, 403, {
      headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="leads:write"' },
      everyEra: true,
    });
  });
  server.tool('teapot', {}, () => {
    throw new ProtocolError(-32000, 'short and stout', undefined, 418, { headers: { 'x-teapot': 'yes' } });
  });
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function openSession(url: string, token: string): Promise<string> {
  const response = await post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
    { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...bearer(token) },
  );
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get('mcp-session-id') as string;
}

function legacyCall(id: number, name: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });
}

describe('the authenticate hook over node:http', () => {
  const logs = captureLogs();
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const server = new Switchboard({ name: 'auth', version: '1', logger: logs.logger, stateSecret: 'x'.repeat(32) });
    register(server);
    const handle = await serve(server, { port: 0, authenticate: verify });
    url = handle.url;
    close = () => handle.close();
  });
  afterAll(() => close());

  it('answers a request without credentials with 401 and the challenge, before reading the body', async () => {
    const { headers, body } = modernRequest(1, 'tools/list');
    const response = await post(url, body, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { message: 'Unauthorized' } });
  });

  it('answers a bad token with the hook challenge, and a thrown challenge the same way', async () => {
    const { headers, body } = modernRequest(1, 'tools/list');
    const bad = await post(url, body, { ...headers, ...bearer('nope') });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const thrown = await post(url, body, { ...headers, ...bearer('thrown-challenge') });
    expect(thrown.status).toBe(403);
    expect(thrown.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
  });

  it('gives handlers the caller in ctx.auth in the 2026-07-28 era', async () => {
    const { headers, body } = modernRequest(2, 'tools/call', { name: 'whoami', arguments: {} });
    const response = await post(url, body, { ...headers, ...bearer('token-alice') });
    const reply = (await response.json()) as { result: { structuredContent?: unknown; content: { text: string }[] } };
    expect(JSON.parse(reply.result.content[0]!.text)).toEqual({ auth: PEOPLE['token-alice'] });
  });

  it('gives handlers the caller in ctx.auth in a 2025-era session', async () => {
    const session = await openSession(url, 'token-alice');
    const response = await post(url, legacyCall(3, 'whoami'), { ...legacyHeaders(session), ...bearer('token-alice') });
    const reply = (await response.json()) as { result: { content: { text: string }[] } };
    expect(JSON.parse(reply.result.content[0]!.text)).toEqual({ auth: PEOPLE['token-alice'] });
  });

  it("refuses a 2025-era session to another principal's credentials with 404, and logs it", async () => {
    const session = await openSession(url, 'token-alice');
    const before = logs.lines.length;
    const stolen = await post(url, legacyCall(4, 'whoami'), { ...legacyHeaders(session), ...bearer('token-bob') });
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ error: { code: -32001 } });
    const warning = logs.lines.slice(before).find((line) => line.level === 40);
    expect(warning?.msg).toMatch(/another principal/);
    const stream = await fetch(url, {
      headers: { ...legacyHeaders(session), accept: 'text/event-stream', ...bearer('token-bob') },
    });
    expect(stream.status).toBe(404);
    const deleted = await fetch(url, {
      method: 'DELETE',
      headers: { ...legacyHeaders(session), ...bearer('token-bob') },
    });
    expect(deleted.status).toBe(404);
    const own = await post(url, legacyCall(5, 'whoami'), { ...legacyHeaders(session), ...bearer('token-alice') });
    expect(own.status).toBe(200);
  });

  it('answers a hook that throws with 500 and no error text, then keeps serving', async () => {
    const before = logs.lines.length;
    const { headers, body } = modernRequest(6, 'tools/list');
    const response = await post(url, body, { ...headers, ...bearer('explode') });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/hunter2|10\.0\.0\.7|introspection/);
    expect(JSON.parse(text)).toMatchObject({ error: { code: -32603 } });
    expect(logs.lines.slice(before).some((line) => line.err?.message?.includes('hunter2'))).toBe(true);
    const next = await post(url, body, { ...headers, ...bearer('token-bob') });
    expect(next.status).toBe(200);
  });

  it('does not authenticate CORS preflights', async () => {
    const response = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(204);
  });

  it('applies a ProtocolError status and headers to both eras when it asks for every era', async () => {
    const { headers, body } = modernRequest(7, 'tools/call', { name: 'forbidden', arguments: {} });
    const modern = await post(url, body, { ...headers, ...bearer('token-alice') });
    expect(modern.status).toBe(403);
    expect(modern.headers.get('www-authenticate')).toContain('scope="leads:write"');
    const session = await openSession(url, 'token-alice');
    const legacy = await post(url, legacyCall(8, 'forbidden'), { ...legacyHeaders(session), ...bearer('token-alice') });
    expect(legacy.status).toBe(403);
    expect(legacy.headers.get('www-authenticate')).toContain('scope="leads:write"');
    expect(await legacy.json()).toMatchObject({ id: 8, error: { code: -32003 } });
  });

  it('keeps 2025-era errors at HTTP 200 unless the error asks for every era', async () => {
    const session = await openSession(url, 'token-alice');
    const legacy = await post(url, legacyCall(9, 'teapot'), { ...legacyHeaders(session), ...bearer('token-alice') });
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('x-teapot')).toBeNull();
    const { headers, body } = modernRequest(10, 'tools/call', { name: 'teapot', arguments: {} });
    const modern = await post(url, body, { ...headers, ...bearer('token-alice') });
    expect(modern.status).toBe(418);
    expect(modern.headers.get('x-teapot')).toBe('yes');
  });
});

describe('a caller established by the host framework', () => {
  it('uses req.auth set by earlier middleware instead of the hook', async () => {
    const server = new Switchboard({ name: 'auth', version: '1', stateSecret: 'x'.repeat(32) });
    register(server);
    let hookCalls = 0;
    const handler = createNodeHandler(server, {
      authenticate: () => {
        hookCalls++;
        return new AuthChallenge(401, CHALLENGE);
      },
    });
    const node = await startNodeServer((req, res) => {
      Object.assign(req, { auth: PEOPLE['token-bob'] });
      void handler(req, res);
    });
    try {
      const { headers, body } = modernRequest(1, 'tools/call', { name: 'whoami', arguments: {} });
      const reply = (await (await post(node.url, body, headers)).json()) as { result: { content: { text: string }[] } };
      expect(JSON.parse(reply.result.content[0]!.text)).toEqual({ auth: PEOPLE['token-bob'] });
      expect(hookCalls).toBe(0);
    } finally {
      await node.close();
    }
  });

  it('takes { auth } in the fetch handler, and runs the hook otherwise', async () => {
    const server = new Switchboard({ name: 'auth', version: '1', stateSecret: 'x'.repeat(32) });
    register(server);
    const handler = createFetchHandler(server, { authenticate: verify });
    const fetchServer = await startFetchServer((request) =>
      request.headers.get('x-framework-user') === 'alice'
        ? handler(request, { auth: PEOPLE['token-alice'] })
        : handler(request),
    );
    try {
      const { headers, body } = modernRequest(1, 'tools/call', { name: 'whoami', arguments: {} });
      const given = await post(fetchServer.url, body, { ...headers, 'x-framework-user': 'alice' });
      const reply = (await given.json()) as { result: { content: { text: string }[] } };
      expect(JSON.parse(reply.result.content[0]!.text)).toEqual({ auth: PEOPLE['token-alice'] });
      const anonymous = await post(fetchServer.url, body, headers);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe(CHALLENGE);
      expect(await serves(fetchServer.url)).toBe(false);
    } finally {
      await fetchServer.close();
    }
  });
});
