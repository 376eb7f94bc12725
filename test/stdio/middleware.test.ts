import { Switchboard, ToolError } from 'switchboard-mcp';
import { describe, expect, it } from 'vitest';
import { connect } from '../support/stdio.js';

describe('middleware over stdio', () => {
  it('wraps requests of both eras on the connection', async () => {
    const server = new Switchboard({ name: 'stdio-mw', version: '1' });
    server.tool('echo', {}, () => 'echo');
    const seen: string[] = [];
    server.use(async (call, next) => {
      seen.push(`${call.era}:${call.method}`);
      if (call.method === 'tools/call' && call.auth.subject === undefined) throw new ToolError('Sign in first');
      return next();
    });
    const client = connect(server);
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    client.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', _meta: meta } });
    expect(await client.reply(1)).toMatchObject({ result: { isError: true, content: [{ text: 'Sign in first' }] } });
    client.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    await client.reply(2);
    client.send({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
    expect(await client.reply(3)).toMatchObject({ result: { tools: [{ name: 'echo' }] } });
    expect(seen).toEqual(['modern:tools/call', 'legacy:initialize', 'legacy:tools/list']);
    client.input.end();
  });
});
