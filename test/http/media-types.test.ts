import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  legacyHeaders,
  modernRequest,
  openLegacySession,
  post,
  rawRequest,
  serves,
  startServer,
} from '../support/http.js';

let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startServer(() => {}));
});
afterAll(() => close());

async function discover(headers: Record<string, string | undefined>) {
  const request = modernRequest(1, 'server/discover');
  const sent = Object.fromEntries(
    Object.entries({ ...request.headers, ...headers }).filter((entry): entry is [string, string] => !!entry[1]),
  );
  const response = await post(url, request.body, sent);
  return { status: response.status, body: JSON.parse(await response.text()) };
}

describe('Content-Type is parsed as a media type (RFC 9110 §8.3.1)', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    ' application/json ; charset="utf-8"',
  ])('accepts %j', async (contentType) => {
    const { status, body } = await discover({ 'content-type': contentType });
    expect(status).toBe(200);
    expect(body.result).toBeDefined();
  });

  it.each([
    'application/jsonp',
    'application/json-seq',
    'application/jsonx; charset=utf-8',
    'application/json+ld',
    'text/json',
    'text/plain',
    undefined,
  ])('refuses %j with 415 and -32600', async (contentType) => {
    const { status, body } = await discover({ 'content-type': contentType });
    expect(status).toBe(415);
    expect(body).toMatchObject({ error: { code: -32600, message: expect.stringContaining('Content-Type') } });
    expect(await serves(url)).toBe(true);
  });
});

describe('Accept is parsed as a list of weighted media ranges (RFC 9110 §12.5.1)', () => {
  it.each([
    'application/json, text/event-stream',
    'text/event-stream, application/json',
    '*/*',
    'application/*, text/*',
    'application/json, text/*;q=0.5',
    'APPLICATION/JSON;q=1.0, Text/Event-Stream;q=0.001',
    'application/json;q=0, application/json;q=1, text/event-stream',
    'text/event-stream;q=0.2, */*;q=0.1',
  ])('accepts %j', async (accept) => {
    const { status, body } = await discover({ accept });
    expect(status).toBe(200);
    expect(body.result).toBeDefined();
  });

  it.each([
    'application/jsonx, text/event-streamy',
    'application/json',
    'text/event-stream',
    'application/json, text/event-stream;q=0',
    'application/json;q=0.000, text/event-stream',
    '*/*, text/event-stream;q=0',
    'application/json;q=0, */*',
    'application/json, text/event-stream;q=abc',
    'application/json, text/event-stream;q=2',
    'text/html',
  ])('refuses %j with 406 and -32600', async (accept) => {
    const { status, body } = await discover({ accept });
    expect(status).toBe(406);
    expect(body).toMatchObject({ error: { code: -32600, message: expect.stringContaining('Not Acceptable') } });
    expect(await serves(url)).toBe(true);
  });

  it('refuses a POST with no Accept header at all (fetch would add */*)', async () => {
    const { headers, body } = modernRequest(1, 'server/discover');
    const { accept: _, ...withoutAccept } = headers;
    const response = await rawRequest(url, { headers: withoutAccept, body });
    expect(response.status).toBe(406);
    expect(JSON.parse(response.body).error.code).toBe(-32600);
    expect(await serves(url)).toBe(true);
  });

  it('applies the same rules to a GET stream: wildcards pass, q=0 and near misses get 406', async () => {
    const session = await openLegacySession(url);
    const open = (accept: string) => fetch(url, { headers: { ...legacyHeaders(session), accept } });
    for (const accept of ['text/event-stream;q=0', 'text/event-streamy', 'application/json', '*/*;q=0']) {
      const refused = await open(accept);
      expect(refused.status).toBe(406);
      expect(JSON.parse(await refused.text()).error.code).toBe(-32600);
    }
    const controller = new AbortController();
    const stream = await fetch(url, {
      headers: { ...legacyHeaders(session), accept: 'text/*' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    controller.abort();
    expect(await serves(url)).toBe(true);
  });
});
