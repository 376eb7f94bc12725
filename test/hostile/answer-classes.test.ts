import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  legacyHeaders,
  modernHeaders,
  modernMeta,
  openLegacySession,
  post,
  serves,
  startServer,
} from '../support/http.js';

// The classes of wrong answers issue 6 found, one test per example: each must be a clear client error, never a
// 500, an empty body or a masked -32603.

let url: string;
let close: () => Promise<void>;
const TASKS = { 'io.modelcontextprotocol/tasks': {} };

beforeAll(async () => {
  const started = await startServer((server) => {
    server.tool('add', { input: { a: z.number(), b: z.number() } }, ({ a, b }) => String(a + b));
    server.tool('echo', { input: { text: z.string() } }, async ({ text }, ctx) => {
      const answer = await ctx.elicit('Sure?', { ok: z.boolean() });
      return `${text}:${answer.action}`;
    });
    server.prompt(
      'greet',
      { args: { name: z.string() }, complete: { name: () => ['Ada'] } },
      ({ name }) => `Hi ${name}`,
    );
    server.resourceTemplate('notes://note/{id}', { name: 'note', complete: { id: () => ['1'] } }, (uri) => ({
      text: uri,
    }));
  });
  url = started.url;
  close = started.close;
});
afterAll(() => close());

function body(id: unknown, method: string, params: Record<string, unknown>, meta = modernMeta()): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } });
}

async function answer(response: Response) {
  const text = await response.text();
  expect(text).not.toBe('');
  expect(text).not.toMatch(/at .*\.(ts|js):\d+|node:internal|\/work\//);
  return { status: response.status, reply: JSON.parse(text) };
}

/** `[[[...]]]` `depth` levels deep, built as text so no JS value this deep is ever made here. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('class 1: values of the wrong type are type-checked before any coercion', () => {
  const poison = { toString: 1 };
  it('an object as the _meta protocol version gets 400, not 500', async () => {
    const meta = { ...modernMeta(), 'io.modelcontextprotocol/protocolVersion': poison };
    const response = await post(url, body(1, 'server/discover', {}, meta as never), modernHeaders('server/discover'));
    const { status, reply } = await answer(response);
    expect(status).toBe(400);
    expect([-32602, -32022]).toContain(reply.error.code);
    expect(reply.id).toBe(1);
    expect(await serves(url)).toBe(true);
  });

  for (const [method, field] of [
    ['tools/call', 'name'],
    ['prompts/get', 'name'],
    ['resources/read', 'uri'],
  ] as const) {
    it(`an object as ${method} params.${field} gets -32602 with 400`, async () => {
      const response = await post(url, body(2, method, { [field]: poison }), modernHeaders(method, 'x'));
      const { status, reply } = await answer(response);
      expect([200, 400]).toContain(status);
      expect([-32602, -32020]).toContain(reply.error.code);
    });

    it(`an array nested 5000 deep as ${method} params.${field} gets 400`, async () => {
      const text = `{"jsonrpc":"2.0","id":3,"method":"${method}","params":{"${field}":${nested(5000)},"_meta":${JSON.stringify(modernMeta())}}}`;
      const { status, reply } = await answer(await post(url, text, modernHeaders(method, 'x')));
      expect([200, 400]).toContain(status);
      expect([-32602, -32020]).toContain(reply.error.code);
    });
  }

  it('an object as tasks/get params.taskId gets 400', async () => {
    const response = await post(
      url,
      body(4, 'tasks/get', { taskId: poison }, modernMeta({ extensions: TASKS })),
      modernHeaders('tasks/get', 'x'),
    );
    const { status, reply } = await answer(response);
    expect([200, 400]).toContain(status);
    expect([-32602, -32020]).toContain(reply.error.code);
  });

  it('deep nesting in tool arguments gets -32602, never a stack overflow', async () => {
    const text = `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"add","arguments":{"a":${nested(20000)}},"_meta":${JSON.stringify(modernMeta())}}}`;
    const { status, reply } = await answer(await post(url, text, modernHeaders('tools/call', 'add')));
    expect(status).toBe(400);
    expect(reply.error.code).toBe(-32602);
    expect(await serves(url)).toBe(true);
  });

  it('deep nesting in a 2025-era request gets -32602 on HTTP 200', async () => {
    const session = await openLegacySession(url);
    const text = `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"add","arguments":{"a":${nested(20000)}}}}`;
    const { status, reply } = await answer(await post(url, text, legacyHeaders(session)));
    expect(status).toBe(200);
    expect(reply.error.code).toBe(-32602);
  });
});

describe('class 2: invalid params, not masked internal errors', () => {
  for (const argument of ['__proto__', 'hasOwnProperty', 'constructor', 'toString']) {
    it(`a completion argument named ${argument} completes to nothing`, async () => {
      for (const ref of [
        { type: 'ref/prompt', name: 'greet' },
        { type: 'ref/resource', uri: 'notes://note/{id}' },
      ]) {
        const response = await post(
          url,
          body(7, 'completion/complete', { ref, argument: { name: argument, value: '' } }),
          modernHeaders('completion/complete'),
        );
        const { status, reply } = await answer(response);
        expect(status).toBe(200);
        expect(reply.result.completion.values).toEqual([]);
      }
    });
  }

  it('ref.name and ref.uri set to objects get -32602', async () => {
    for (const ref of [
      { type: 'ref/prompt', name: { toString: 1 } },
      { type: 'ref/resource', uri: { toString: 1 } },
      { type: 'ref/prompt', name: ['greet'] },
    ]) {
      const response = await post(
        url,
        body(8, 'completion/complete', { ref, argument: { name: 'name', value: '' } }),
        modernHeaders('completion/complete'),
      );
      const { status, reply } = await answer(response);
      expect(status).toBe(200);
      expect(reply.error.code).toBe(-32602);
    }
  });

  it('arguments and inputResponses nested 10,000 deep beside a requestState get -32602', async () => {
    const first = await answer(
      await post(
        url,
        body(9, 'tools/call', { name: 'echo', arguments: { text: 'x' } }, modernMeta({ elicitation: {} })),
        modernHeaders('tools/call', 'echo'),
      ),
    );
    const requestState = first.reply.result.requestState as string;
    expect(typeof requestState).toBe('string');
    const meta = JSON.stringify(modernMeta({ elicitation: {} }));
    for (const field of ['arguments', 'inputResponses']) {
      const other = field === 'arguments' ? '"inputResponses":{}' : '"arguments":{"text":"x"}';
      const text = `{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"echo","requestState":"${requestState}",${other},"${field}":{"k":${nested(10000)}},"_meta":${meta}}}`;
      const { status, reply } = await answer(await post(url, text, modernHeaders('tools/call', 'echo')));
      expect(status).toBe(400);
      expect(reply.error.code).toBe(-32602);
    }
  });
});

describe('class 3: names on Object.prototype are unknown methods', () => {
  for (const method of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    it(`2026-07-28 ${method} gets 404 -32601`, async () => {
      const { status, reply } = await answer(await post(url, body(11, method, {}), modernHeaders(method)));
      expect(status).toBe(404);
      expect(reply.error.code).toBe(-32601);
      expect(reply.error.message).not.toContain('native code');
    });

    it(`2025-era ${method} gets -32601`, async () => {
      const session = await openLegacySession(url);
      const text = JSON.stringify({ jsonrpc: '2.0', id: 12, method, params: {} });
      const { status, reply } = await answer(await post(url, text, legacyHeaders(session)));
      expect(status).toBe(200);
      expect(reply.error.code).toBe(-32601);
    });
  }

  it('a tool named like a prototype member is an unknown tool with -32602', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const { status, reply } = await answer(
        await post(url, body(13, 'tools/call', { name, arguments: {} }), modernHeaders('tools/call', name)),
      );
      expect(status).toBe(200);
      expect(reply.error.code).toBe(-32602);
    }
  });
});

describe('request ids round-trip exactly', () => {
  for (const id of ['9007199254740993', '-9007199254740993', '123456789012345678901234567890', '0', '-1']) {
    it(`integer id ${id} comes back as written`, async () => {
      const text = `{"jsonrpc":"2.0","id":${id},"method":"server/discover","params":{"_meta":${JSON.stringify(modernMeta())}}}`;
      const response = await post(url, text, modernHeaders('server/discover'));
      const reply = await response.text();
      expect(response.status).toBe(200);
      expect(reply.startsWith(`{"jsonrpc":"2.0","id":${id},`)).toBe(true);
    });
  }

  it('a big integer id in an error answer comes back as written', async () => {
    const text = `{"jsonrpc":"2.0","id":9007199254740993,"method":"nope","params":{"_meta":${JSON.stringify(modernMeta())}}}`;
    const reply = await (await post(url, text, modernHeaders('nope'))).text();
    expect(reply).toContain('"id":9007199254740993');
  });

  it('a string id with escapes and unicode comes back equal', async () => {
    const id = 'a"\\\u2028é\u{1F600}';
    const reply = await answer(await post(url, body(id, 'server/discover', {}), modernHeaders('server/discover')));
    expect(reply.reply.id).toBe(id);
  });
});

describe('ambiguous requests get 400, whatever the order', () => {
  function raw(headers: [string, string][], text: string): Promise<{ status: number; body: string }> {
    const { hostname, port, pathname } = new URL(url);
    return new Promise((resolve, reject) => {
      const request = httpRequest({ hostname, port, path: pathname, method: 'POST', setHost: false });
      for (const [name, values] of groupHeaders(headers)) request.setHeader(name, values);
      request.on('response', (response) => {
        let data = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          data += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: data }));
      });
      request.on('error', reject);
      request.end(text);
    });
  }
  const host = () => new URL(url).host;
  const base = (method: string): [string, string][] =>
    Object.entries(modernHeaders(method)).filter(([name]) => name !== 'mcp-method');

  it('two Host headers', async () => {
    for (const hosts of [
      [host(), 'evil.example'],
      ['evil.example', host()],
      [host(), host()],
    ]) {
      const headers: [string, string][] = [
        ...hosts.map((h) => ['host', h] as [string, string]),
        ...base('server/discover'),
        ['mcp-method', 'server/discover'],
      ];
      const { status, body: text } = await raw(headers, body(14, 'server/discover', {}));
      expect(status).toBe(400);
      expect(JSON.parse(text).error.code).toBe(-32600);
    }
  });

  it('two different Mcp-Method headers', async () => {
    for (const methods of [
      ['server/discover', 'tools/list'],
      ['tools/list', 'server/discover'],
    ]) {
      const headers: [string, string][] = [
        ['host', host()],
        ...base('server/discover'),
        ...methods.map((m) => ['mcp-method', m] as [string, string]),
      ];
      const { status } = await raw(headers, body(15, 'server/discover', {}));
      expect(status).toBe(400);
    }
  });

  it('two different MCP-Protocol-Version or Mcp-Session-Id headers', async () => {
    const session = await openLegacySession(url);
    const text = JSON.stringify({ jsonrpc: '2.0', id: 16, method: 'tools/list' });
    for (const [name, values] of [
      ['mcp-protocol-version', ['2025-11-25', '2025-06-18']],
      ['mcp-session-id', [session, 'other']],
      ['mcp-session-id', ['other', session]],
    ] as const) {
      const headers: [string, string][] = Object.entries(legacyHeaders(session)).filter(([h]) => h !== name);
      headers.push(['host', host()], ...values.map((v) => [name, v] as [string, string]));
      const { status } = await raw(headers, text);
      expect(status).toBe(400);
    }
  });

  it('a repeated identical Mcp-Method is still one value', async () => {
    const headers: [string, string][] = [
      ['host', host()],
      ...base('server/discover'),
      ['mcp-method', 'server/discover'],
      ['mcp-method', 'server/discover'],
    ];
    const { status } = await raw(headers, body(17, 'server/discover', {}));
    expect(status).toBe(200);
  });
});

function groupHeaders(headers: [string, string][]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  return grouped;
}

describe('requestState accepts only its canonical encoding', () => {
  it('another alphabet, padding or extra separators get -32602', async () => {
    const meta = modernMeta({ elicitation: {} });
    const first = await answer(
      await post(
        url,
        body(20, 'tools/call', { name: 'echo', arguments: { text: 'x' } }, meta),
        modernHeaders('tools/call', 'echo'),
      ),
    );
    const state = first.reply.result.requestState as string;
    const [payload, mac] = state.split('.') as [string, string];
    const standard = (text: string) => Buffer.from(text, 'base64url').toString('base64');
    const variants = [
      `${standard(payload)}.${standard(mac)}`,
      `${payload}.${mac}=`,
      `${payload}==.${mac}`,
      `${payload}..${mac}`,
      `${payload}.${mac}.`,
      `.${payload}.${mac}`,
      `${payload} .${mac}`,
      `${payload}.${mac.slice(0, -1)}${String.fromCharCode(mac.charCodeAt(mac.length - 1) + 1)}`,
    ].filter((variant) => variant !== state);
    for (const requestState of variants) {
      const { status, reply } = await answer(
        await post(
          url,
          body(21, 'tools/call', { name: 'echo', arguments: { text: 'x' }, requestState, inputResponses: {} }, meta),
          modernHeaders('tools/call', 'echo'),
        ),
      );
      expect(status, requestState).toBe(400);
      expect(reply.error.code).toBe(-32602);
    }
    // The canonical one is still accepted (it asks again: no answer was given).
    const again = await answer(
      await post(
        url,
        body(
          22,
          'tools/call',
          { name: 'echo', arguments: { text: 'x' }, requestState: state, inputResponses: {} },
          meta,
        ),
        modernHeaders('tools/call', 'echo'),
      ),
    );
    expect(again.reply.result.resultType).toBe('input_required');
  });
});
