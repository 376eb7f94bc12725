import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolError } from '../protocol/errors.js';
import { captureLogs, RpcError, TestClient } from '../testing/index.js';
import { image, text, toolResult } from './content.js';
import { Switchboard } from './switchboard.js';

function newServer(logger = captureLogs().logger) {
  const server = new Switchboard({ name: 'test', version: '1.0.0', logger });
  server.tool('add', { description: 'Add two numbers', input: { a: z.number(), b: z.number() } }, ({ a, b }) =>
    String(a + b),
  );
  return server;
}

describe.each(['modern', 'legacy'] as const)('tools over the %s era', (era) => {
  it('calls a tool with validated arguments', async () => {
    const client = new TestClient(newServer(), { era });
    const result = await client.callTool('add', { a: 2, b: 3 });
    expect(result.content).toEqual([{ type: 'text', text: '5' }]);
    expect(result.isError).toBeUndefined();
  });

  it('names each bad argument, what was expected and what was received', async () => {
    const client = new TestClient(newServer(), { era });
    const result = await client.callTool('add', { a: 'two' });
    expect(result.isError).toBe(true);
    const message = (result.content[0] as { text: string }).text;
    expect(message).toContain('Invalid arguments for tool "add"');
    expect(message).toContain('- a: expected number, received string "two"');
    expect(message).toContain('- b: expected number, received nothing (the field is missing)');
  });

  it('answers an unknown tool with -32602 listing the tools that exist', async () => {
    const client = new TestClient(newServer(), { era });
    const error = await client.callTool('subtract', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).rpcCode).toBe(-32602);
    expect((error as RpcError).message).toContain('Available tools: add');
  });
});

describe('tool results', () => {
  it('passes a ToolError message to the model as written', async () => {
    const server = newServer();
    server.tool('strict', {}, () => {
      throw new ToolError('id must be positive; try id=1');
    });
    const result = await new TestClient(server).callTool('strict');
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: 'id must be positive; try id=1' }] });
  });

  it('masks unexpected errors, logs them, and returns the correlation id', async () => {
    const { logger, lines } = captureLogs();
    const server = newServer(logger);
    server.tool('leaky', {}, () => {
      throw new Error('relation "secret_table" does not exist');
    });
    const result = await new TestClient(server).callTool('leaky');
    const message = (result.content[0] as { text: string }).text;
    expect(result.isError).toBe(true);
    expect(message).not.toContain('secret_table');
    const correlationId = (result._meta as Record<string, string>)['dev.switchboard/correlationId'];
    expect(message).toContain(correlationId);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.find((line) => line.correlationId === correlationId);
    expect(logged?.err).toMatchObject({ message: expect.stringContaining('secret_table') });
  });

  it('validates structured output and sends it as structuredContent plus JSON text', async () => {
    const server = newServer();
    server.tool('lead', { input: { id: z.number() }, output: { id: z.number(), stage: z.string() } }, ({ id }) => ({
      id,
      stage: 'trial',
    }));
    const result = await new TestClient(server).callTool('lead', { id: 42 });
    expect(result.structuredContent).toEqual({ id: 42, stage: 'trial' });
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual({ id: 42, stage: 'trial' });
    const listed = await new TestClient(server).listTools();
    const lead = (listed.tools as { name: string; outputSchema?: unknown }[]).find((t) => t.name === 'lead');
    expect(lead?.outputSchema).toMatchObject({ type: 'object', required: ['id', 'stage'] });
  });

  it('masks output that breaks its own schema', async () => {
    const server = newServer();
    server.tool('broken', { output: { count: z.number() } }, () => ({ count: 'many' }) as never);
    const result = await new TestClient(server).callTool('broken');
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('internal error');
  });

  it('accepts content arrays and toolResult() as returned', async () => {
    const server = newServer();
    server.tool('pic', {}, () => [text('a picture'), image('aGVsbG8=', 'image/png')]);
    server.tool('raw', {}, () => toolResult({ content: [text('custom')], isError: true }));
    const client = new TestClient(server);
    expect((await client.callTool('pic')).content).toHaveLength(2);
    expect(await client.callTool('raw')).toMatchObject({ isError: true, content: [{ text: 'custom' }] });
  });
});

describe('tools/list', () => {
  it('lists JSON Schema built from zod, without a $schema keyword', async () => {
    const listed = await new TestClient(newServer()).listTools();
    const [add] = listed.tools as Record<string, unknown>[];
    expect(add).toMatchObject({
      name: 'add',
      description: 'Add two numbers',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
    });
    expect(add?.inputSchema).not.toHaveProperty('$schema');
  });

  it('paginates with opaque cursors and rejects a forged one', async () => {
    const server = new Switchboard({ name: 't', version: '1', pageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.tool(name, {}, () => name);
    const client = new TestClient(server);
    const names: string[] = [];
    let cursor: unknown;
    do {
      const page = await client.request('tools/list', cursor === undefined ? {} : { cursor });
      names.push(...(page.tools as { name: string }[]).map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    await expect(client.request('tools/list', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ rpcCode: -32602 });
  });

  it('reflects tools added, disabled and removed at run time, and announces each change', async () => {
    const server = newServer();
    const events: string[] = [];
    server.core.bus.subscribe((event) => events.push(event.type));
    const client = new TestClient(server);
    const extra = server.tool('extra', {}, () => 'x');
    expect((await client.listTools()).tools).toHaveLength(2);
    extra.disable();
    expect((await client.listTools()).tools).toHaveLength(1);
    await expect(client.callTool('extra')).rejects.toMatchObject({ rpcCode: -32602 });
    extra.enable();
    extra.remove();
    expect((await client.listTools()).tools).toHaveLength(1);
    expect(events).toEqual(['tools/list_changed', 'tools/list_changed', 'tools/list_changed', 'tools/list_changed']);
  });

  it('refuses a second tool with the same name', () => {
    expect(() => newServer().tool('add', {}, () => '')).toThrow(/already registered/);
  });
});
