import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { describe } from '../oauth/discovery.js';

/** An answer of the server under examination, read whole. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Milliseconds from sending to the end of the body. */
  ms: number;
  /** The JSON-RPC messages of a JSON or SSE body. */
  messages: Record<string, unknown>[];
}

/** How long one probe may take before it counts as no answer. */
const TIMEOUT_MS = 10_000;

/** Sends one request with fetch and reads the whole answer. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' }).catch(
    (error: unknown) => {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a certificate) is its cause.
      throw new Error(describe(error));
    },
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    ms: performance.now() - started,
    messages: messagesOf(response.headers, text),
  };
}

/** Sends a request with a Host header of our choosing, which fetch does not allow. */
export function sendWithHost(
  url: string,
  host: string,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  const target = new URL(url);
  const make = target.protocol === 'https:' ? requestTls : request;
  return new Promise((resolve, reject) => {
    const req = make(
      target,
      {
        method: 'POST',
        headers: { ...headers, host, 'content-length': Buffer.byteLength(body) },
        timeout: TIMEOUT_MS,
        servername: target.hostname,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function messagesOf(headers: Headers, text: string): Record<string, unknown>[] {
  const type = headers.get('content-type') ?? '';
  const parse = (data: string) => {
    try {
      const value = JSON.parse(data) as unknown;
      return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
    } catch {
      return [];
    }
  };
  if (type.includes('text/event-stream')) {
    return text
      .split(/\r?\n\r?\n/)
      .map((event) =>
        event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n'),
      )
      .filter((data) => data !== '')
      .flatMap(parse);
  }
  return type.includes('json') ? parse(text) : [];
}

/** The JSON-RPC response with this id in an answer. */
export function responseWithId(answer: Answer, id: number): Record<string, unknown> | undefined {
  return answer.messages.find((message) => message.id === id && message.method === undefined);
}
