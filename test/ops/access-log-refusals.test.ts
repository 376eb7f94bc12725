import { Switchboard } from 'switchboard-mcp';
import type { AuthOutcome, AuthRequest } from 'switchboard-mcp/http';
import { AuthChallenge, createFetchHandler, serve } from 'switchboard-mcp/http';
import { accessLog } from 'switchboard-mcp/observability';
import { quota } from 'switchboard-mcp/quota';
import { captureLogs } from 'switchboard-mcp/testing';
import { describe, expect, it } from 'vitest';
import { LEGACY, MODERN, modernRequest, rawRequest } from '../support/http.js';

const JSON_TYPES = 'application/json, text/event-stream';
const ADA = 'Bearer ada';

/** Ada with the right token; a 401 challenge for any other. */
function authenticate(request: AuthRequest): AuthOutcome {
  if (request.header('authorization') === ADA)
    return { subject: 'ada', scopes: [], claims: { iss: 'https://id.example' } };
  throw new AuthChallenge(401, 'Unauthorized: a bearer token is required', 'Bearer realm="mcp"');
}

/**
 * One server on the fetch adapter (no sockets: each request is a `Request` in the test), with the access log as
 * middleware and as the edge's `onRefused`, a 1 KiB body limit and an `admit` hook that refuses `x-flood`.
 */
function loggedServer() {
  const { logger, lines } = captureLogs('info');
  const server = new Switchboard({ name: 'refusals', version: '1', logger });
  server.tool('lookup', {}, () => 'found');
  const log = accessLog();
  server.use(log);
  const handler = createFetchHandler(server, {
    authenticate,
    maxBodyBytes: 1024,
    onRefused: log.refused,
    admit: (request) =>
      request.header('x-flood') === undefined
        ? undefined
        : { status: 429, message: 'Too Many Requests', headers: { 'retry-after': '7' } },
  });
  const send = async (init: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const response = await handler(new Request('http://localhost/mcp', { method: 'POST', ...init }));
    await response.text();
    return response.status;
  };
  return { handler, lines: () => lines.filter((line) => line.msg === 'request'), send };
}

const modern = (id: number, headers: Record<string, string> = {}) => {
  const request = modernRequest(id, 'tools/call', { name: 'lookup', arguments: {} });
  return { headers: { ...request.headers, authorization: ADA, ...headers }, body: request.body };
};

describe('the access log has a line for each request the HTTP edge refuses itself', () => {
  const cases: {
    name: string;
    status: number;
    request: { method?: string; headers?: Record<string, string>; body?: string };
    line: Record<string, unknown>;
    absent?: string[];
  }[] = [
    {
      name: 'malformed JSON',
      status: 400,
      request: { headers: { 'content-type': 'application/json', accept: JSON_TYPES, authorization: ADA }, body: '{' },
      line: { httpMethod: 'POST', principal: 'sub:https://id.example#ada' },
    },
    {
      name: 'a header that contradicts the body',
      status: 400,
      request: modern(1, { 'mcp-method': 'tools/list' }),
      line: { method: 'tools/call', era: 'modern', principal: 'sub:https://id.example#ada' },
    },
    {
      name: 'no valid token',
      status: 401,
      request: { ...modern(2), headers: { ...modern(2).headers, authorization: 'Bearer forged' } },
      line: { method: 'tools/call', era: 'modern' },
      // Only what was known: the caller did not get through, so the line names no principal.
      absent: ['principal'],
    },
    {
      name: 'an unknown session',
      status: 404,
      request: {
        headers: {
          'content-type': 'application/json',
          accept: JSON_TYPES,
          authorization: ADA,
          'mcp-protocol-version': LEGACY,
          'mcp-session-id': 'no-such-session',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
      },
      line: { method: 'tools/list', era: 'legacy', sessionId: 'no-such-session' },
    },
    {
      name: 'an Accept without text/event-stream',
      status: 406,
      request: { ...modern(4), headers: { ...modern(4).headers, accept: 'application/json' } },
      line: { method: 'tools/call', era: 'modern' },
    },
    {
      name: 'a Content-Type that is not JSON',
      status: 415,
      request: { ...modern(5), headers: { ...modern(5).headers, 'content-type': 'text/plain' } },
      line: { method: 'tools/call', era: 'modern' },
    },
    {
      name: 'a body over maxBodyBytes',
      status: 413,
      request: { ...modern(6), body: JSON.stringify({ padding: 'x'.repeat(2048) }) },
      line: { method: 'tools/call', era: 'modern' },
    },
    {
      name: 'an admit limit',
      status: 429,
      request: modern(7, { 'x-flood': '1' }),
      line: { method: 'tools/call', era: 'modern', principal: 'sub:https://id.example#ada' },
    },
  ];

  for (const { name, status, request, line, absent = [] } of cases) {
    it(`${status}: ${name}`, async () => {
      const { send, lines } = loggedServer();
      expect(await send(request)).toBe(status);
      expect(lines()).toHaveLength(1);
      expect(lines()[0]).toMatchObject({
        status: 'refused',
        httpStatus: status,
        durationMs: expect.any(Number),
        ...line,
      });
      for (const key of absent) expect(lines()[0]).not.toHaveProperty(key);
    });
  }

  it('503: a request that arrives while the server is shutting down', async () => {
    const { handler, send, lines } = loggedServer();
    await handler.endpoint.close();
    const status = await send({
      method: 'GET',
      headers: { accept: 'text/event-stream', authorization: ADA, 'mcp-protocol-version': MODERN },
    });
    expect(status).toBe(503);
    expect(lines()).toEqual([expect.objectContaining({ httpMethod: 'GET', status: 'refused', httpStatus: 503 })]);
  });

  it('logs a request the engine refused (a quota, HTTP 429) once, by the middleware, not as an edge refusal', async () => {
    const { logger, lines } = captureLogs('info');
    const server = new Switchboard({ name: 'quota', version: '1', logger });
    const log = accessLog();
    server.use(log);
    server.use(quota({ perPrincipal: { points: 1, durationSec: 60 } }));
    const handler = createFetchHandler(server, { onRefused: log.refused });
    const statuses: number[] = [];
    for (const id of [1, 2]) {
      const { headers, body } = modernRequest(id, 'tools/list');
      const response = await handler(new Request('http://localhost/mcp', { method: 'POST', headers, body }));
      await response.text();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 429]);
    expect(lines.filter((line) => line.msg === 'request')).toEqual([
      expect.objectContaining({ method: 'tools/list', status: 'ok' }),
      expect.objectContaining({ method: 'tools/list', status: 'error', code: -32029 }),
    ]);
  });

  it('over node:http too: a foreign Origin (403) and a chunked upload cut off at the limit (413)', async () => {
    const { logger, lines } = captureLogs('info');
    const server = new Switchboard({ name: 'node-refusals', version: '1', logger });
    const log = accessLog();
    server.use(log);
    const handle = await serve(server, { port: 0, maxBodyBytes: 1024, onRefused: log.refused });
    try {
      const { headers, body } = modernRequest(1, 'tools/list');
      const foreign = await rawRequest(handle.url, { headers: { ...headers, origin: 'https://evil.example' }, body });
      const chunked = await rawRequest(handle.url, { headers, chunks: ['{"padding":"', 'x'.repeat(2048)], end: false });
      expect([foreign.status, chunked.status]).toEqual([403, 413]);
    } finally {
      await handle.close();
    }
    expect(lines.filter((line) => line.msg === 'request')).toEqual([
      expect.objectContaining({ httpMethod: 'POST', era: 'modern', status: 'refused', httpStatus: 403 }),
      expect.objectContaining({ method: 'tools/list', era: 'modern', status: 'refused', httpStatus: 413 }),
    ]);
  });
});
