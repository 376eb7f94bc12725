import { RpcError, TestClient, type TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createLeadsServer } from './leads-server.js';
import { CALLERS, createLeadsTestDatabase } from './test-database.js';

const contentText = (contents: readonly object[]) =>
  contents.map((item) => ('text' in item ? String(item.text) : '')).join('');

describe.each(sqlEngines())('leads resources and prompt on $name', ({ url }) => {
  let db: TestDatabase;
  let admin: TestClient;
  let legacy: TestClient;
  let agent: TestClient;
  let createServer: () => ReturnType<typeof createLeadsServer>;
  beforeAll(async () => {
    db = await createLeadsTestDatabase(url);
    const server = await createLeadsServer(db);
    createServer = () => createLeadsServer(db);
    admin = new TestClient(server, { auth: CALLERS.admin });
    legacy = new TestClient(server, { auth: CALLERS.admin, era: 'legacy' });
    agent = new TestClient(server, { auth: CALLERS.agent });
  }, 120_000);
  afterAll(() => db?.dispose());

  it('lists the lead template, the schema overview and its table template, and the triage prompt', async () => {
    expect((await admin.listResources()).resources.map((r) => r.uri)).toContain('leads://schema');
    expect((await admin.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      'leads://lead/{id}',
      'leads://schema/{table}',
    ]);
    expect((await admin.listPrompts()).prompts.map((p) => p.name)).toEqual(['triage_lead']);
  });

  it('reads one lead in full as JSON, masked without leads:pii', async () => {
    const { contents } = await admin.readResource('leads://lead/42');
    expect(contents[0]).toMatchObject({ uri: 'leads://lead/42', mimeType: 'application/json' });
    const lead = JSON.parse(contentText(contents));
    expect(lead).toMatchObject({ id: 42, stage: expect.objectContaining({ kind: expect.any(String) }) });
    expect(lead.stage_history.length).toBeGreaterThan(0);
    const masked = JSON.parse(contentText((await agent.readResource('leads://lead/42')).contents));
    expect(masked.phone_numbers[0].number).toContain('***');
    expect(lead.phone_numbers[0].number).toMatch(/^\+\d+$/);
  });

  it('answers not found for an unknown id, a malformed one, or a lead of another team, in both eras', async () => {
    const { team } = (
      await db.query<{ team: string }>(
        'SELECT t.slug AS team FROM crm.leads l JOIN crm.teams t ON t.id = l.team_id WHERE l.id <> 42 AND l.team_id <> (SELECT team_id FROM crm.leads WHERE id = 42) LIMIT 1',
      )
    ).rows[0]!;
    const rep = new TestClient(await createServer(), { auth: CALLERS.team(team) });
    const cases: [TestClient, string, number, RegExp][] = [
      [admin, 'leads://lead/999999', -32602, /No lead with id 999999/],
      [legacy, 'leads://lead/999999', -32002, /No lead with id 999999/],
      [admin, 'leads://lead/abc', -32602, /lead ids are whole numbers/],
      [admin, 'leads://lead/1 OR 1=1', -32602, /No lead with id/],
      [rep, 'leads://lead/42', -32602, /belongs to a team you cannot see/],
    ];
    for (const [client, uri, code, message] of cases) {
      const error = await client.readResource(uri).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error, uri).toBeInstanceOf(RpcError);
      expect((error as RpcError).rpcCode, uri).toBe(code);
      expect((error as RpcError).message, uri).toMatch(message);
    }
  });

  it('completes lead ids by prefix, from what the caller can see', async () => {
    const complete = async (client: TestClient, value: string) =>
      (
        await client.complete({
          ref: { type: 'ref/resource', uri: 'leads://lead/{id}' },
          argument: { name: 'id', value },
        })
      ).completion.values;
    const values = await complete(admin, '12');
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((value) => value.startsWith('12'))).toBe(true);
    expect(values).toContain('12');
    expect(await complete(admin, 'x1')).toEqual([]);
    expect(await complete(admin, "1'; DROP TABLE crm.leads; --")).toEqual([]);
    const nobody = new TestClient(await createServer(), { auth: { subject: 'n', scopes: ['leads:read'], claims: {} } });
    expect(await complete(nobody, '1')).toEqual([]);
  });

  it('describes the schema from the database comments: the overview and each table', async () => {
    const overview = contentText((await admin.readResource('leads://schema')).contents);
    expect(overview).toMatch(/^# The leads database: \d{3} tables in 10 schemas/);
    expect(overview).toContain('| `healthcare.appointments` |');
    const leads = contentText((await admin.readResource('leads://schema/crm.leads')).contents);
    expect(leads).toContain(
      '| `stage_entered_at` | timestamp with time zone | no |  | When the lead entered its current stage',
    );
    const error = await admin.readResource('leads://schema/crm.nope').catch((thrown: RpcError) => thrown);
    expect((error as RpcError).message).toMatch(/No table "crm.nope": name it as schema.table/);
    const completion = await admin.complete({
      ref: { type: 'ref/resource', uri: 'leads://schema/{table}' },
      argument: { name: 'table', value: 'showing' },
    });
    expect(completion.completion.values).toEqual(['real_estate.showing_feedback', 'real_estate.showings']);
  });

  it('triage_lead embeds the lead and asks for a decision; an unknown lead or bad id is refused', async () => {
    const prompt = await admin.getPrompt('triage_lead', { lead_id: '42' });
    const [embedded, instructions] = prompt.messages;
    expect(embedded!.content).toMatchObject({
      type: 'resource',
      resource: { uri: 'leads://lead/42', mimeType: 'application/json' },
    });
    expect(JSON.parse((embedded!.content as { resource: { text: string } }).resource.text).id).toBe(42);
    expect(instructions!.content).toMatchObject({
      type: 'text',
      text: expect.stringContaining('ACTION | OWNER | DUE'),
    });
    await expect(admin.getPrompt('triage_lead', { lead_id: '999999' })).rejects.toThrow(/No lead with id 999999/);
    await expect(admin.getPrompt('triage_lead', { lead_id: '42; DROP TABLE crm.leads' })).rejects.toThrow(/lead_id/);
  });
});
