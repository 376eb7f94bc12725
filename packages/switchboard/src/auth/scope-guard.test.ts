import { Switchboard } from 'switchboard-mcp';
import { RpcError, TestClient } from 'switchboard-mcp/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enforceScopes } from './scope-guard.js';

/** A small CRM: reading leads needs leads:read, changing them leads:write, mail mail:send; `ping` needs nothing. */
function crm(): Switchboard {
  const server = new Switchboard({ name: 'crm', version: '1' });
  server.tool('ping', {}, () => 'pong');
  server.tool('get_lead', { input: { id: z.number() }, scopes: ['leads:read'] }, ({ id }) => `lead ${id}`);
  server.tool('update_lead', { input: { id: z.number() }, scopes: ['leads:read', 'leads:write'] }, () => 'ok');
  server.tool('send_mail', { scopes: ['mail:send'] }, () => 'sent');
  server.resource('crm://pipeline', { scopes: ['leads:read'] }, () => 'pipeline');
  server.resourceTemplate(
    'crm://lead/{id}',
    { name: 'lead', scopes: ['leads:read'], complete: { id: (value) => [`${value}1`, `${value}2`] } },
    (_uri, { id }) => `lead ${id}`,
  );
  server.prompt('follow_up', { scopes: ['mail:send'], args: { name: z.string() } }, ({ name }) => `Write to ${name}`);
  enforceScopes(server);
  return server;
}

const as = (scopes: string[], era: 'modern' | 'legacy' = 'modern') =>
  new TestClient(crm(), { era, auth: { subject: 'alice', scopes, claims: {} } });

async function refusal(call: Promise<unknown>): Promise<RpcError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

describe('enforceScopes', () => {
  it('lists show a caller only what its scopes cover', async () => {
    const reader = as(['leads:read']);
    expect((await reader.listTools()).tools.map((t) => t.name)).toEqual(['ping', 'get_lead']);
    expect((await reader.listResources()).resources.map((r) => r.uri)).toEqual(['crm://pipeline']);
    expect((await reader.listResourceTemplates()).resourceTemplates.map((t) => t.name)).toEqual(['lead']);
    expect((await reader.listPrompts()).prompts).toEqual([]);
    const nobody = as([]);
    expect((await nobody.listTools()).tools.map((t) => t.name)).toEqual(['ping']);
    expect((await nobody.listResourceTemplates()).resourceTemplates).toEqual([]);
  });

  // 2026-07-28 basic/authorization §Step-Up Authorization Flow: a broader scope implies narrower ones.
  it('a broader scope covers the narrower ones (leads covers leads:read and leads:write)', async () => {
    const manager = as(['leads']);
    expect((await manager.listTools()).tools.map((t) => t.name)).toEqual(['ping', 'get_lead', 'update_lead']);
    expect((await manager.callTool('update_lead', { id: 1 })).content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('refuses a call without the scope with -32003 naming every missing scope, in both eras', async () => {
    for (const era of ['modern', 'legacy'] as const) {
      const reader = as(['leads:read'], era);
      expect((await reader.callTool('get_lead', { id: 7 })).content).toEqual([{ type: 'text', text: 'lead 7' }]);
      const error = await refusal(reader.callTool('update_lead', { id: 7 }));
      expect(error.rpcCode).toBe(-32003);
      expect(error.message).toBe('Forbidden: tool "update_lead" needs scope leads:write');
      expect(error.data).toEqual({ requiredScopes: ['leads:read', 'leads:write'], missingScopes: ['leads:write'] });
      const none = await refusal(as([], era).callTool('update_lead', { id: 7 }));
      expect(none.message).toBe('Forbidden: tool "update_lead" needs scope leads:read leads:write');
    }
  });

  it('guards resource reads, template reads, subscriptions, prompts and completions', async () => {
    const mailer = as(['mail:send'], 'legacy');
    expect((await refusal(mailer.readResource('crm://pipeline'))).message).toContain('resource crm://pipeline');
    expect((await refusal(mailer.readResource('crm://lead/3'))).message).toContain('resource crm://lead/3 needs');
    expect((await refusal(mailer.subscribeResource('crm://lead/3'))).rpcCode).toBe(-32003);
    const completion = mailer.complete({
      ref: { type: 'ref/resource', uri: 'crm://lead/{id}' },
      argument: { name: 'id', value: '4' },
    });
    expect((await refusal(completion)).message).toContain('resource template crm://lead/{id}');
    expect((await mailer.getPrompt('follow_up', { name: 'Ada' })).messages).toHaveLength(1);
    const reader = as(['leads:read'], 'legacy');
    expect((await refusal(reader.getPrompt('follow_up', { name: 'Ada' }))).message).toContain('prompt "follow_up"');
    expect(
      (
        await reader.complete({
          ref: { type: 'ref/resource', uri: 'crm://lead/{id}' },
          argument: { name: 'id', value: '4' },
        })
      ).completion.values,
    ).toEqual(['41', '42']);
    expect((await reader.readResource('crm://lead/3')).contents[0]).toMatchObject({ text: 'lead 3' });
    await reader.subscribeResource('crm://lead/3');
    // Leaving a subscription needs no scope.
    expect(await mailer.unsubscribeResource('crm://lead/3')).toEqual({});
  });

  it('an unknown tool is still the method’s own error, and installing twice checks once', async () => {
    const server = crm();
    enforceScopes(server);
    const client = new TestClient(server, { auth: { scopes: ['leads:read'], claims: {} } });
    expect((await client.callTool('get_lead', { id: 1 })).isError).toBeFalsy();
    const unknown = await refusal(client.callTool('nope'));
    expect(unknown.rpcCode).not.toBe(-32003);
  });
});
