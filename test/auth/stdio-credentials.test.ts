import { Switchboard } from 'switchboard-mcp';
import { authFromEnvironment, enforceScopes, InvalidTokenError, jwtVerifier } from 'switchboard-mcp/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../support/stdio.js';
import type { TokenIssuer } from '../support/token-issuer.js';
import { startTokenIssuer } from '../support/token-issuer.js';

/**
 * stdio takes no OAuth; the launcher hands the server a token in the environment, verified at start by the same
 * verifier HTTP uses (2026-07-28 basic/authorization §Protocol Requirements).
 */
const RESOURCE = 'https://mcp.example.com/mcp';
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};
let issuer: TokenIssuer;
beforeAll(async () => {
  issuer = await startTokenIssuer();
});
afterAll(() => issuer.close());

describe('stdio credentials from the environment', () => {
  it('verifies MCP_ACCESS_TOKEN at start; its scopes govern the connection', async () => {
    const token = await issuer.sign({ sub: 'ops-bot', aud: RESOURCE, scope: 'leads:read' });
    const auth = await authFromEnvironment({
      verifier: jwtVerifier({ issuer: issuer.issuer }),
      resource: RESOURCE,
      env: { MCP_ACCESS_TOKEN: token },
    });
    const server = new Switchboard({ name: 'stdio-crm', version: '1' });
    server.tool('get_lead', { scopes: ['leads:read'] }, (_args, ctx) => `for ${ctx.auth.subject}`);
    server.tool('delete_lead', { scopes: ['leads:write'] }, () => 'deleted');
    enforceScopes(server);
    const client = connect(server, { auth });
    client.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_lead', _meta: META } });
    expect(await client.reply(1)).toMatchObject({ result: { content: [{ type: 'text', text: 'for ops-bot' }] } });
    client.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'delete_lead', _meta: META } });
    expect(await client.reply(2)).toMatchObject({
      error: { code: -32003, message: 'Forbidden: tool "delete_lead" needs scope leads:write' },
    });
    client.send({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: META } });
    expect(await client.reply(3)).toMatchObject({ result: { tools: [{ name: 'get_lead' }] } });
    client.end();
    await client.closed;
  });

  it('fails the start without the variable, or with a token the verifier refuses', async () => {
    const verifier = jwtVerifier({ issuer: issuer.issuer });
    await expect(authFromEnvironment({ verifier, resource: RESOURCE, env: {} })).rejects.toThrow(
      /set MCP_ACCESS_TOKEN/,
    );
    const other = await issuer.sign({ sub: 'ops-bot', aud: 'https://other.example/mcp' });
    await expect(
      authFromEnvironment({ verifier, resource: RESOURCE, variable: 'CRM_TOKEN', env: { CRM_TOKEN: other } }),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
