import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle, ServeOptions } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

/** Starts a server on an ephemeral loopback port; `close` is idempotent. */
export async function startServer(
  register: (server: Switchboard) => void,
  options: ServeOptions & { name?: string } = {},
): Promise<{ server: Switchboard; url: string; handle: HttpServerHandle; close: () => Promise<void> }> {
  const server = new Switchboard({
    name: options.name ?? 'test-server',
    version: '1.0.0',
    stateSecret: 'test-secret-test-secret-test-secret',
  });
  register(server);
  const handle = await serve(server, { port: 0, ...options });
  return { server, url: handle.url, handle, close: () => handle.close() };
}

export function modernMeta(capabilities: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
    ...extra,
  };
}

/** The headers a 2026-07-28 client mirrors from the body. */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
  };
  if (name !== undefined) headers['mcp-name'] = name;
  return headers;
}

/** A complete, valid 2026-07-28 POST for `method`. */
export function modernRequest(
  id: number | string,
  method: string,
  params: Record<string, unknown> = {},
  capabilities = {},
) {
  const name = (params.name ?? params.uri ?? params.taskId) as string | undefined;
  return {
    headers: modernHeaders(method, name),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: { ...params, _meta: { ...modernMeta(capabilities), ...(params._meta as object) } },
    }),
  };
}

/** Whether the server still answers a good request (a 2026-07-28 `server/discover`) with 200 and a result. */
export async function serves(url: string): Promise<boolean> {
  const { headers, body } = modernRequest('still-serving', 'server/discover');
  const response = await post(url, body, headers);
  const reply = JSON.parse(await response.text()) as { result?: unknown };
  return response.status === 200 && reply.result !== undefined;
}

export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers, signal });
}

/** Opens a 2025-11-25 session and returns its id; `headers` (a caller's credentials) go on both messages. */
export async function openLegacySession(
  url: string,
  capabilities: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities, clientInfo: { name: 'test', version: '1' } },
    }),
    { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  );
  const id = response.headers.get('mcp-session-id');
  if (response.status !== 200 || id === null) throw new Error(`initialize failed: ${response.status}`);
  await response.text();
  await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
    ...legacyHeaders(id),
    ...headers,
  });
  return id;
}

export function legacyHeaders(sessionId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': LEGACY,
    'mcp-session-id': sessionId,
  };
}

export interface SseEvent {
  id?: string;
  retry?: number;
  /** Parsed JSON of the data line; undefined for a priming event (empty data). */
  data?: Record<string, unknown>;
}

/** Reads SSE events from a response body as they arrive. */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const event: SseEvent = {};
      let data = '';
      let comment = true;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        comment = false;
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('retry: ')) event.retry = Number(line.slice(7));
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (comment) continue;
      if (data.trim() !== '') event.data = JSON.parse(data);
      yield event;
    }
  }
}

/** Collects events until `stop` says so (or the stream ends). */
export async function collectSse(
  response: Response,
  stop: (event: SseEvent) => boolean = () => false,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(response)) {
    events.push(event);
    if (stop(event)) break;
  }
  return events;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request through `node:http`, which (unlike fetch) sends any Host header as given and can leave a chunked
 * body unfinished: `chunks` are written without Content-Length, and with `end: false` the upload never ends, so the
 * answer must come before it does. The client socket is destroyed once the response has arrived.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    chunks?: (string | Uint8Array)[];
    end?: boolean;
  },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'POST',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (options.end === false) req.flushHeaders();
    else req.end(options.body);
  });
}

/** Serves `handle` on an ephemeral loopback port: the shape of a user's own node:http server. */
export async function startNodeServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const http = createServer(handle);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };
}

/** Serves a fetch handler over real HTTP, the way a fetch runtime adapter would (body streamed, not buffered). */
export function startFetchServer(
  handler: (request: Request) => Promise<Response>,
): Promise<{ url: string; close: () => Promise<void> }> {
  return startNodeServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    handler(request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body !== null) for await (const chunk of response.body) res.write(chunk);
        res.end();
      })
      .catch(() => res.destroy());
  });
}
