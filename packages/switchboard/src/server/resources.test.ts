import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TestClient } from '../testing/index.js';
import { Switchboard } from './switchboard.js';

function server() {
  const s = new Switchboard({ name: 'res', version: '1.0.0' });
  s.resource('config://app', { name: 'app-config', mimeType: 'application/json' }, () => '{"debug":false}');
  s.resource('file:///logo.png', { name: 'logo', mimeType: 'image/png' }, () => new Uint8Array([137, 80, 78, 71]));
  s.resourceTemplate(
    'leads://lead/{id}',
    {
      name: 'lead',
      mimeType: 'application/json',
      list: () => [{ uri: 'leads://lead/1', name: 'Lead 1' }],
      complete: { id: (value) => ['1', '12', '2'].filter((id) => id.startsWith(value)) },
    },
    (_uri, { id }) => JSON.stringify({ id }),
  );
  s.resourceTemplate('docs://{+path}', { name: 'doc' }, (_uri, { path }) => `doc at ${path}`);
  s.prompt(
    'summarize',
    {
      description: 'Summarize a lead',
      args: { leadId: z.string().describe('Lead id'), tone: z.enum(['brief', 'detailed']).optional() },
    },
    ({ leadId, tone }) => `Summarize lead ${leadId} in a ${tone ?? 'brief'} way`,
  );
  return s;
}

describe('resources', () => {
  it('lists fixed resources and those a template enumerates', async () => {
    const listed = await new TestClient(server()).request('resources/list');
    expect((listed.resources as { uri: string }[]).map((r) => r.uri)).toEqual([
      'config://app',
      'file:///logo.png',
      'leads://lead/1',
    ]);
    const templates = await new TestClient(server()).request('resources/templates/list');
    expect(templates.resourceTemplates).toEqual([
      { uriTemplate: 'leads://lead/{id}', name: 'lead', mimeType: 'application/json' },
      { uriTemplate: 'docs://{+path}', name: 'doc' },
    ]);
  });

  it('reads text, binary and templated resources', async () => {
    const client = new TestClient(server());
    expect((await client.readResource('config://app')).contents).toEqual([
      { uri: 'config://app', mimeType: 'application/json', text: '{"debug":false}' },
    ]);
    expect((await client.readResource('file:///logo.png')).contents).toEqual([
      { uri: 'file:///logo.png', mimeType: 'image/png', blob: Buffer.from([137, 80, 78, 71]).toString('base64') },
    ]);
    expect((await client.readResource('leads://lead/42')).contents[0]).toMatchObject({ text: '{"id":"42"}' });
    expect((await client.readResource('docs://guides/setup.md')).contents[0]).toMatchObject({
      text: 'doc at guides/setup.md',
    });
  });

  it('answers an unknown URI with -32002 in the 2025 era and -32602 in 2026-07-28', async () => {
    await expect(new TestClient(server(), { era: 'legacy' }).readResource('nope://x')).rejects.toMatchObject({
      rpcCode: -32002,
      data: { uri: 'nope://x' },
    });
    await expect(new TestClient(server()).readResource('nope://x')).rejects.toMatchObject({ rpcCode: -32602 });
  });

  it('modern reads carry private caching hints; lists carry public ones unless a template lists per caller', async () => {
    const client = new TestClient(server());
    expect(await client.readResource('config://app')).toMatchObject({
      resultType: 'complete',
      ttlMs: 0,
      cacheScope: 'private',
    });
    // This server's template lists items through list(ctx), which may differ per caller.
    expect(await client.request('resources/list')).toMatchObject({ ttlMs: 60_000, cacheScope: 'private' });
    expect(await client.request('resources/templates/list')).toMatchObject({ ttlMs: 60_000, cacheScope: 'public' });
    const fixedOnly = new Switchboard({ name: 'fixed', version: '1.0.0' });
    fixedOnly.resource('config://app', {}, () => '{}');
    expect(await new TestClient(fixedOnly).request('resources/list')).toMatchObject({ cacheScope: 'public' });
    const legacy = await new TestClient(server(), { era: 'legacy' }).request('resources/list');
    expect(legacy).not.toHaveProperty('ttlMs');
    expect(legacy).not.toHaveProperty('resultType');
  });
});

describe('prompts and completion', () => {
  it('lists arguments with descriptions and whether they are required', async () => {
    const listed = await new TestClient(server()).request('prompts/list');
    expect(listed.prompts).toEqual([
      {
        name: 'summarize',
        description: 'Summarize a lead',
        arguments: [
          { name: 'leadId', description: 'Lead id', required: true },
          { name: 'tone', required: false },
        ],
      },
    ]);
  });

  it('renders a prompt and rejects bad arguments with -32602', async () => {
    const client = new TestClient(server());
    expect(await client.getPrompt('summarize', { leadId: '7', tone: 'detailed' })).toMatchObject({
      messages: [{ role: 'user', content: { type: 'text', text: 'Summarize lead 7 in a detailed way' } }],
    });
    await expect(client.getPrompt('summarize', { tone: 'loud' })).rejects.toMatchObject({
      rpcCode: -32602,
      message: expect.stringMatching(/leadId: expected string.*tone: expected one of "brief", "detailed"/),
    });
    await expect(client.getPrompt('missing')).rejects.toMatchObject({ rpcCode: -32602 });
  });

  it('completes enum prompt arguments by themselves and template variables by their completer', async () => {
    const client = new TestClient(server());
    const tone = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'summarize' },
      argument: { name: 'tone', value: 'de' },
    });
    expect(tone.completion).toEqual({ values: ['detailed'], total: 1, hasMore: false });
    const id = await client.request('completion/complete', {
      ref: { type: 'ref/resource', uri: 'leads://lead/{id}' },
      argument: { name: 'id', value: '1' },
    });
    expect(id.completion).toEqual({ values: ['1', '12'], total: 2, hasMore: false });
  });
});
