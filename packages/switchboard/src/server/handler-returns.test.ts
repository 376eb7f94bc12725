import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NotFoundError, RegistrationError, ToolError } from '../protocol/errors.js';
import type { ServerEvent } from '../stores/bus.js';
import { captureLogs, TestClient } from '../testing/index.js';
import { image, text } from './content.js';
import { Switchboard } from './switchboard.js';

function serverWith(register: (server: Switchboard) => void) {
  const log = captureLogs();
  const server = new Switchboard({ name: 'returns', version: '1.0.0', logger: log.logger });
  register(server);
  return { server, lines: log.lines };
}

describe.each(['modern', 'legacy'] as const)('what tool handlers return, %s era', (era) => {
  async function call(handler: () => unknown) {
    const { server, lines } = serverWith((s) => s.tool('t', {}, handler));
    return { result: await new TestClient(server, { era }).callTool('t'), lines };
  }

  it('takes a single content block as the content, not as JSON text', async () => {
    const { result } = await call(() => image(new Uint8Array([1, 2, 3]), 'image/png'));
    expect(result.content).toEqual([{ type: 'image', data: 'AQID', mimeType: 'image/png' }]);
  });

  it('takes an array of strings and blocks as content', async () => {
    const { result } = await call(() => ['first', text('second')]);
    expect(result.content).toEqual([
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
    ]);
  });

  it('sends an array of data as JSON text rather than as malformed content', async () => {
    const { result } = await call(() => [{ id: 1 }, { id: 2 }]);
    expect(result.content).toEqual([{ type: 'text', text: '[{"id":1},{"id":2}]' }]);
  });

  it('sends an object that merely has a content key as JSON text', async () => {
    const { result } = await call(() => ({ content: [1, 2], page: 1 }));
    expect(result.content).toEqual([{ type: 'text', text: '{"content":[1,2],"page":1}' }]);
    expect(result).not.toHaveProperty('page');
  });

  it('passes a hand-built CallToolResult through', async () => {
    const { result } = await call(() => ({ content: [text('done')], isError: true }));
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'done' }], isError: true });
  });

  it('refuses values JSON would turn into {} and logs why', async () => {
    for (const value of [new Map([['a', 1]]), new Uint8Array([1]), (async function* () {})()]) {
      const { result, lines } = await call(() => value);
      expect(result.isError).toBe(true);
      expect((result.content[0] as { text: string }).text).toMatch(/internal error \(correlation id /);
      expect(String((lines.at(-1)?.err as { message?: string })?.message)).toMatch(/has no tool-result form/);
    }
  });

  it('accepts a whole CallToolResult from a tool with an output schema and checks its structured content', async () => {
    const { server } = serverWith((s) => {
      s.tool('good', { output: { n: z.number() } }, () => ({ content: [text('3')], structuredContent: { n: 3 } }));
      s.tool('bad', { output: { n: z.number() } }, () => ({ content: [text('x')], structuredContent: { n: 'x' } }));
    });
    const client = new TestClient(server, { era });
    expect(await client.callTool('good')).toMatchObject({ structuredContent: { n: 3 } });
    expect(await client.callTool('bad')).toMatchObject({ isError: true });
  });

  it('passes a NotFoundError message to the model', async () => {
    const { result } = await call(() => {
      throw new NotFoundError('No lead with id 9');
    });
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'No lead with id 9' }], isError: true });
  });

  it('lists at most twenty tools when the name is unknown', async () => {
    const { server } = serverWith((s) => {
      for (let i = 0; i < 50; i++) s.tool(`tool_${i}`, {}, () => 'x');
    });
    const error = await new TestClient(server, { era }).callTool('nope').catch((e: Error) => e);
    expect(error.message).toContain('tool_19 and 30 more (see tools/list)');
    expect(error.message).not.toContain('tool_20,');
  });
});

describe.each(['modern', 'legacy'] as const)('what prompt and resource handlers return, %s era', (era) => {
  it('refuses a prompt that returns nothing with a masked error, instead of an endless input round', async () => {
    const { server, lines } = serverWith((s) => s.prompt('p', {}, (() => undefined) as never));
    const error = await new TestClient(server, { era }).getPrompt('p').catch((e: { rpcCode: number }) => e);
    expect(error).toMatchObject({ rpcCode: -32603 });
    expect(String((lines.at(-1)?.err as { message?: string })?.message)).toMatch(/Prompt "p" returned nothing/);
  });

  it('refuses a malformed prompt message and takes strings in a message list as user messages', async () => {
    const { server } = serverWith((s) => {
      s.prompt('bad', {}, () => ({ foo: 1 }) as never);
      s.prompt('mixed', {}, () => ['hi', { role: 'assistant', content: text('hello') }]);
    });
    const client = new TestClient(server, { era });
    await expect(client.getPrompt('bad')).rejects.toMatchObject({ rpcCode: -32603 });
    expect((await client.getPrompt('mixed')).messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'hi' } },
      { role: 'assistant', content: { type: 'text', text: 'hello' } },
    ]);
  });

  it('applies the registered MIME type to every contents object that lacks one', async () => {
    const { server } = serverWith((s) =>
      s.resource('x://mime', { mimeType: 'text/plain' }, (uri) => [
        { uri, text: 'a' },
        { uri, text: 'b', mimeType: 'text/markdown' },
      ]),
    );
    expect((await new TestClient(server, { era }).readResource('x://mime')).contents).toEqual([
      { uri: 'x://mime', text: 'a', mimeType: 'text/plain' },
      { uri: 'x://mime', text: 'b', mimeType: 'text/markdown' },
    ]);
  });

  it('refuses a resource handler that returns nothing', async () => {
    const { server, lines } = serverWith((s) => s.resource('x://none', {}, (() => undefined) as never));
    await expect(new TestClient(server, { era }).readResource('x://none')).rejects.toMatchObject({ rpcCode: -32603 });
    expect(String((lines.at(-1)?.err as { message?: string })?.message)).toMatch(/returned nothing for x:\/\/none/);
  });

  it("answers a template handler's NotFoundError with the era's resource-not-found error", async () => {
    const { server } = serverWith((s) =>
      s.resourceTemplate('leads://lead/{id}', { name: 'lead' }, (_uri, { id }) => {
        throw new NotFoundError(`No lead with id ${id}`);
      }),
    );
    await expect(new TestClient(server, { era }).readResource('leads://lead/9')).rejects.toMatchObject({
      rpcCode: era === 'modern' ? -32602 : -32002,
      message: 'No lead with id 9',
      data: { uri: 'leads://lead/9' },
    });
  });

  it('passes a ToolError from a prompt or resource as -32602 with its message, and masks other errors', async () => {
    const { server } = serverWith((s) => {
      s.prompt('p', {}, () => {
        throw new ToolError('Pick a lead first');
      });
      s.resource('x://secret', {}, () => {
        throw new Error('connection string postgres://admin:pw@db');
      });
    });
    const client = new TestClient(server, { era });
    await expect(client.getPrompt('p')).rejects.toMatchObject({ rpcCode: -32602, message: 'Pick a lead first' });
    const error = await client.readResource('x://secret').catch((e: Error) => e);
    expect(error).toMatchObject({ rpcCode: -32603 });
    expect(error.message).not.toContain('postgres');
  });

  it('answers completion for a template it does not know with -32602, and gives completers the context', async () => {
    const { server } = serverWith((s) => {
      s.resource('x://fixed', {}, () => 'x');
      s.resourceTemplate(
        'leads://lead/{id}',
        { name: 'lead', complete: { id: (_value, { ctx }) => [ctx.era] } },
        () => 'x',
      );
    });
    const client = new TestClient(server, { era });
    const complete = (uri: string) =>
      client.request('completion/complete', {
        ref: { type: 'ref/resource', uri },
        argument: { name: 'id', value: '' },
      });
    expect(await complete('leads://lead/{id}')).toMatchObject({ completion: { values: [era] } });
    expect(await complete('x://fixed')).toMatchObject({ completion: { values: [] } });
    await expect(complete('nope://{id}')).rejects.toMatchObject({ rpcCode: -32602 });
  });
});

describe('registration checks', () => {
  const server = () => new Switchboard({ name: 'reg', version: '1.0.0', logger: captureLogs().logger });

  it('refuses an empty tool or prompt name and warns about names outside the spec advice', () => {
    expect(() => server().tool('', {}, () => 'x')).toThrow(RegistrationError);
    expect(() => server().prompt('', {}, () => 'x')).toThrow(RegistrationError);
    const { server: warned, lines } = serverWith((s) => s.tool('has space!', {}, () => 'x'));
    expect(warned.info.name).toBe('returns');
    expect(lines.find((line) => line.tool === 'has space!')).toMatchObject({ level: 40 });
  });

  it('refuses resource URIs and templates that are not URIs', () => {
    expect(() => server().resource('not a uri', {}, () => 'x')).toThrow(/is not a URI/);
    expect(() => server().resourceTemplate('{id}', { name: 'n' }, () => 'x')).toThrow(/is not a URI/);
  });

  it('names what is wrong with a template', () => {
    expect(() => server().resourceTemplate('x://{a}/{a}', { name: 'n' }, () => 'x')).toThrow(
      /variable "a" appears twice/,
    );
    expect(() => server().resourceTemplate('x://a{#frag}', { name: 'n' }, () => 'x')).toThrow(
      /\{#frag\} is not supported; use \{var\}, \{\+var\} or \{\?a,b\}/,
    );
    expect(() => server().resourceTemplate('x://a/{}', { name: 'n' }, () => 'x')).toThrow(/does not name a variable/);
    expect(() => server().resourceTemplate('x://a/{id', { name: 'n' }, () => 'x')).toThrow(/unclosed/);
  });

  it('refuses input schemas that are not objects, naming what was given', () => {
    expect(() => server().tool('t', { input: z.array(z.string()) as never }, () => 'x')).toThrow(
      /input schema of tool "t" must be a z.object\(\), a shape of zod fields, or jsonSchema\(\); got z.array\(\)/,
    );
    expect(() => server().tool('t', { input: { a: 'string' } as never }, () => 'x')).toThrow(
      /field "a" is not a zod schema/,
    );
  });
});

describe('change notifications', () => {
  it('tells clients the resource list changed when asked to', () => {
    const { server } = serverWith(() => {});
    const events: ServerEvent[] = [];
    server.core.bus.subscribe((event) => events.push(event));
    server.notifyResourceListChanged();
    expect(events).toEqual([{ type: 'resources/list_changed' }]);
  });
});

describe('elicitation forms', () => {
  it('refuses a nested form before asking the client', async () => {
    let asked = false;
    const { server, lines } = serverWith((s) =>
      s.tool('ask', {}, async (_args, ctx) => {
        await ctx.elicit('Address?', { address: z.object({ street: z.string() }) });
        return 'asked';
      }),
    );
    const client = new TestClient(server, {
      era: 'legacy',
      elicit: () => {
        asked = true;
        return { action: 'decline' };
      },
    });
    const result = await client.callTool('ask');
    expect(result.isError).toBe(true);
    expect(asked).toBe(false);
    expect(String((lines.at(-1)?.err as { message?: string })?.message)).toMatch(
      /Elicitation form field "address" is not a primitive/,
    );
  });
});

describe.each(['modern', 'legacy'] as const)('tool time limits, %s era', (era) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops a call that runs past timeoutMs: the handler sees ctx.signal abort, the model reads why', async () => {
    vi.useFakeTimers();
    let sawAbort = false;
    const { server } = serverWith((s) => {
      s.tool('slow', { timeoutMs: 1000 }, (_args, ctx) => {
        return new Promise<string>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve('too late');
          });
        });
      });
      s.tool('quick', { timeoutMs: 1000 }, () => 'fast');
    });
    const client = new TestClient(server, { era });
    expect(await client.callTool('quick')).toMatchObject({ content: [{ text: 'fast' }] });
    expect(vi.getTimerCount()).toBe(0);
    const pending = client.callTool('slow');
    await vi.advanceTimersByTimeAsync(999);
    expect(sawAbort).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({
      isError: true,
      content: [{ text: expect.stringMatching(/^Tool "slow" did not finish within 1000 ms and was stopped/) }],
    });
    expect(sawAbort).toBe(true);
  });

  it('refuses a timeoutMs that is not a positive number', () => {
    expect(() => serverWith((s) => s.tool('t', { timeoutMs: 0 }, () => 'x'))).toThrow(RegistrationError);
  });
});
