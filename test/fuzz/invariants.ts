import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';

/** What came back for one request: enough to judge it. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Codes a Switchboard server may answer a client's mistake with (2026-07-28 and 2025-11-25 basic/index). */
const CLIENT_ERROR_CODES = new Set([-32700, -32600, -32601, -32602, -32001, -32002, -32003, -32020, -32021, -32022]);
const STATUSES = new Set([200, 202, 400, 403, 404, 405, 406, 409, 413, 415, 429]);
/** A stack frame, an internal module or a file path: none may reach a client. */
const LEAK = /\n\s+at |node:internal|\/work\/|\/home\/|[\w-]+\.(?:ts|js|mjs):\d+/;

/** POSTs `body` with exactly these headers (repeats included) and reads the answer, an SSE one up to its first event. */
export function send(url: string, headers: [string, string][], body: Buffer, timeoutMs: number): Promise<Answer> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const grouped = new Map<string, string[]>();
    for (const [name, value] of headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    // A fresh connection each time: a kept-alive socket the server has just closed would fail the next case.
    const request = httpRequest({ hostname, port, path: pathname, method: 'POST', setHost: false, agent: false });
    for (const [name, values] of grouped) request.setHeader(name, values.length === 1 ? (values[0] as string) : values);
    request.setHeader('content-length', body.length);
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('response', (response) => {
      const contentType = String(response.headers['content-type'] ?? '');
      let text = '';
      response.setEncoding('utf8');
      const done = () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, contentType, text });
      };
      response.on('data', (chunk: string) => {
        text += chunk;
        // A stream (a subscription, progress) stays open; its first complete event is enough to judge it.
        if (contentType.startsWith('text/event-stream') && /\ndata: .*\n\n/.test(text)) {
          response.destroy();
          done();
        }
      });
      response.on('end', done);
      response.on('close', done);
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

/** The JSON-RPC messages in an answer: a JSON body, or the data lines of an SSE one. */
function messagesOf(answer: Answer): unknown[] {
  if (answer.contentType.startsWith('text/event-stream')) {
    return answer.text
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 6)
      .map((line) => JSON.parse(line.slice(6)));
  }
  const value = JSON.parse(answer.text) as unknown;
  return Array.isArray(value) ? value : [value];
}

/** One JSON-RPC message a server sent: a result, or an error with a code for a client's mistake. */
export function checkMessage(message: unknown): void {
  expect(message).toMatchObject({ jsonrpc: '2.0' });
  const { error, result, method } = message as {
    error?: { code: unknown; message: unknown };
    result?: unknown;
    method?: unknown;
  };
  if (method !== undefined) return;
  if (error !== undefined) {
    expect(typeof error.message).toBe('string');
    expect(
      CLIENT_ERROR_CODES.has(error.code as number),
      `error code ${String(error.code)}: ${String(error.message)}`,
    ).toBe(true);
  } else {
    expect(typeof result).toBe('object');
  }
}

/** The invariants of issue 6 for one HTTP answer. */
export function checkAnswer(answer: Answer): void {
  expect(STATUSES.has(answer.status), `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`).toBe(true);
  expect(answer.text, 'no stack, module or path in the answer').not.toMatch(LEAK);
  if (answer.status === 202) return;
  expect(answer.text.length, `empty body with HTTP ${answer.status}`).toBeGreaterThan(0);
  const messages = messagesOf(answer);
  if (answer.contentType.startsWith('text/event-stream') && messages.length === 0) return;
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) checkMessage(message);
}

/** A repeatable case as the corpus keeps it, and as a failure prints it: headers in order, and the body's bytes. */
export interface StoredCase {
  transport: 'http' | 'stdio';
  era: 'modern' | 'legacy';
  note?: string;
  headers?: [string, string][];
  bodyBase64: string;
}

export function reproduction(kase: StoredCase): string {
  return `\nreproduce (save as test/fuzz/corpus/<name>.json to replay it on every run):\n${JSON.stringify(kase)}\n`;
}
