import { ConnectionError, connect, RpcError } from 'switchboard-mcp/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startServer } from '../support/http.js';

/**
 * switchboard-mcp/client against a real Streamable HTTP server on loopback: the `fetch` option carries every HTTP
 * request (the contract an OAuth layer relies on), in both eras, including a 2025-era answer to the server's own
 * elicitation request.
 */
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startServer((server) => {
    server.tool('ask_name', { description: 'Asks for a name' }, async (_args, ctx) => {
      const answer = await ctx.elicit({
        message: 'Your name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      });
      return `Hello, ${String(answer.content?.name)}`;
    });
    server.tool('count', { input: { to: z.number().int() } }, async ({ to }, ctx) => {
      for (let step = 1; step <= to; step++) ctx.progress(step, to);
      return String(to);
    });
  }));
});
afterAll(() => close());

describe.each(['2026-07-28', '2025-11-25'] as const)('switchboard-mcp/client in the %s era', (era) => {
  it('sends every HTTP request through the fetch it was given', async () => {
    const seen: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push(`${init?.method ?? 'GET'} ${headers.get('mcp-method') ?? ''}`);
      headers.set('x-test', 'through-fetch');
      return fetch(input, { ...init, headers });
    };
    const client = await connect(
      { url, fetch: counting },
      { era, elicit: async () => ({ action: 'accept', content: { name: 'Ada' } }) },
    );
    expect(client.server.protocolVersion).toBe(era);
    const result = await client.callTool('ask_name');
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada' }]);
    await client.close();
    // The 2025 era: initialize, initialized, the call, the POSTed elicitation answer, the session's DELETE.
    if (era === '2025-11-25') expect(seen).toEqual(['POST ', 'POST ', 'POST ', 'POST ', 'DELETE ']);
    else expect(seen).toEqual(['POST server/discover', 'POST tools/call', 'POST tools/call']);
  });

  it('delivers progress in order and throws RpcError for a JSON-RPC error', async () => {
    const client = await connect(url, { era });
    const updates: number[] = [];
    await client.callTool('count', { to: 3 }, { onProgress: (update) => updates.push(update.progress) });
    expect(updates).toEqual([1, 2, 3]);
    await expect(client.readResource('nothing://here')).rejects.toBeInstanceOf(RpcError);
    await client.close();
  });
});

it('says a server that is not there cannot be reached', async () => {
  await expect(connect('http://127.0.0.1:9/mcp')).rejects.toBeInstanceOf(ConnectionError);
});
