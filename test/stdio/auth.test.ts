import { Switchboard } from 'switchboard-mcp';
import { describe, expect, it } from 'vitest';
import { connect } from '../support/stdio.js';

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

describe('the caller on stdio', () => {
  it('is what the launcher established, for requests of both eras', async () => {
    const server = new Switchboard({ name: 'stdio-auth', version: '1' });
    server.tool('whoami', {}, (_args, ctx) => ctx.auth.subject ?? 'anonymous');
    const auth = { subject: 'ops-bot', scopes: ['leads:read'], claims: { sub: 'ops-bot' } };
    const client = connect(server, { auth });
    client.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', _meta: META } });
    expect(await client.reply(1)).toMatchObject({ result: { content: [{ type: 'text', text: 'ops-bot' }] } });
    client.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    await client.reply(2);
    client.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami' } });
    expect(await client.reply(3)).toMatchObject({ result: { content: [{ type: 'text', text: 'ops-bot' }] } });
    client.input.end();
  });

  it('is anonymous when the launcher established nobody', async () => {
    const server = new Switchboard({ name: 'stdio-auth', version: '1' });
    server.tool('whoami', {}, (_args, ctx) => ctx.auth.subject ?? 'anonymous');
    const client = connect(server);
    client.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', _meta: META } });
    expect(await client.reply(1)).toMatchObject({ result: { content: [{ type: 'text', text: 'anonymous' }] } });
    client.input.end();
  });
});
