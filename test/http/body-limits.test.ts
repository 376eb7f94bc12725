import type { IncomingMessage, ServerResponse } from 'node:http';
import { Switchboard } from 'switchboard-mcp';
import { createFetchHandler, createNodeHandler } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  modernHeaders,
  modernRequest,
  post,
  rawRequest,
  serves,
  startFetchServer,
  startNodeServer,
  startServer,
} from '../support/http.js';

const LIMIT = 2048;

function build(): Switchboard {
  const server = new Switchboard({ name: 'limits', version: '1.0.0' });
  server.tool('echo', { input: { text: z.string() } }, ({ text }) => text);
  return server;
}

const servers: Record<'node' | 'fetch', { url: string; close: () => Promise<void> }> = {} as never;

beforeAll(async () => {
  const node = await startServer((s) => s.tool('echo', { input: { text: z.string() } }, ({ text }) => text), {
    maxBodyBytes: LIMIT,
  });
  servers.node = { url: node.url, close: node.close };
  servers.fetch = await startFetchServer(createFetchHandler(build(), { maxBodyBytes: LIMIT }));
});
afterAll(() => Promise.all([servers.node.close(), servers.fetch.close()]));

const oversize = modernRequest(1, 'tools/call', { name: 'echo', arguments: { text: 'x'.repeat(LIMIT) } }).body;

describe.each(['node', 'fetch'] as const)('body limits (%s adapter)', (adapter) => {
  it('cuts off a chunked upload with no Content-Length at the limit, before it ends (413)', async () => {
    const { url } = servers[adapter];
    // The upload is never finished: only a reader that stops at the limit can answer.
    const response = await rawRequest(url, {
      headers: modernHeaders('tools/call', 'echo'),
      chunks: [oversize.slice(0, 1500), oversize.slice(1500, 3000)],
      end: false,
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: -32600, message: /Payload Too Large/ } });
    expect(await serves(url)).toBe(true);
  });

  it('refuses a declared Content-Length over the limit up front (413)', async () => {
    const { url } = servers[adapter];
    const response = await rawRequest(url, {
      headers: { ...modernHeaders('tools/call', 'echo'), 'content-length': String(LIMIT + 1) },
      chunks: ['{'],
      end: false,
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe(-32600);
    expect(await serves(url)).toBe(true);
  });

  it('reads a chunked body within the limit, even with a character split across chunks', async () => {
    const { url } = servers[adapter];
    const { headers, body } = modernRequest(2, 'tools/call', { name: 'echo', arguments: { text: 'héllo wörld' } });
    const bytes = Buffer.from(body);
    const split = bytes.indexOf(0xc3) + 1;
    const response = await rawRequest(url, { headers, chunks: [bytes.subarray(0, split), bytes.subarray(split)] });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).result.content[0].text).toBe('héllo wörld');
  });

  it('answers an empty body with 400 and -32700', async () => {
    const { url } = servers[adapter];
    const response = await post(url, '', modernHeaders('tools/list'));
    expect(response.status).toBe(400);
    expect(JSON.parse(await response.text())).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: expect.any(String) },
    });
    expect(await serves(url)).toBe(true);
  });
});

describe('a body that middleware read first (createNodeHandler behind express.json() and the like)', () => {
  /** Runs `middleware` before the handler, the way Express would. */
  async function behind(middleware: (req: IncomingMessage & { body?: unknown }) => Promise<void>) {
    const handler = createNodeHandler(build(), { maxBodyBytes: LIMIT });
    return startNodeServer((req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
      void middleware(req).then(() => handler(req, res));
    });
  }

  async function readAll(req: IncomingMessage): Promise<string> {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text;
  }

  /** What express.json() does: read the stream, keep the parsed value on req.body. */
  const jsonParser = async (req: IncomingMessage & { body?: unknown }) => {
    req.body = JSON.parse(await readAll(req));
  };

  it('serves a parsed body like a raw one', async () => {
    const http = await behind(jsonParser);
    try {
      const { headers, body } = modernRequest(1, 'tools/call', { name: 'echo', arguments: { text: 'parsed' } });
      const response = await post(http.url, body, headers);
      expect(response.status).toBe(200);
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('parsed');
    } finally {
      await http.close();
    }
  });

  it('holds a parsed body to maxBodyBytes (413) and to JSON-RPC validation (400, -32600)', async () => {
    const http = await behind(jsonParser);
    try {
      const big = await post(http.url, oversize, modernHeaders('tools/call', 'echo'));
      expect(big.status).toBe(413);
      expect(JSON.parse(await big.text()).error.code).toBe(-32600);
      const invalid = await post(http.url, JSON.stringify({ hello: 'world', id: 3 }), modernHeaders('tools/call'));
      expect(invalid.status).toBe(400);
      expect(JSON.parse(await invalid.text())).toMatchObject({ id: 3, error: { code: -32600 } });
      expect(await serves(http.url)).toBe(true);
    } finally {
      await http.close();
    }
  });

  it('reads the stream itself when req.body is a placeholder and the stream is unread (Express 4)', async () => {
    const http = await behind(async (req) => {
      req.body = {};
    });
    try {
      const { headers, body } = modernRequest(1, 'tools/call', { name: 'echo', arguments: { text: 'raw' } });
      const response = await post(http.url, body, headers);
      expect(response.status).toBe(200);
      expect(JSON.parse(await response.text()).result.content[0].text).toBe('raw');
    } finally {
      await http.close();
    }
  });

  it('answers 500 with a clear -32603 when the stream was consumed and nothing kept', async () => {
    const http = await behind(async (req) => {
      await readAll(req);
    });
    try {
      const { headers, body } = modernRequest(1, 'server/discover');
      const response = await post(http.url, body, headers);
      expect(response.status).toBe(500);
      expect(JSON.parse(await response.text())).toMatchObject({
        error: { code: -32603, message: expect.stringContaining('read by earlier middleware') },
      });
    } finally {
      await http.close();
    }
  });
});
