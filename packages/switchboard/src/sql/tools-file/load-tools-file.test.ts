import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../../../../test/support/services.js';
import { SQL_SETUP_TIMEOUT } from '../../../../../test/support/sql-fixture.js';
import { Switchboard } from '../../server/switchboard.js';
import { TestClient } from '../../testing/test-client.js';
import { DatabaseUnavailableError } from '../database.js';
import { SqlCheckError } from '../sql-check-error.js';
import type { ToolsFile } from './load-tools-file.js';
import { loadToolsFile } from './load-tools-file.js';
import { ToolsFileError } from './tools-file-error.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS leads (id int PRIMARY KEY, name text NOT NULL, phone text NOT NULL, stage text NOT NULL);
  INSERT INTO leads VALUES (1, 'Ada', '+14155550101', 'trial'), (2, 'Bob', '+14155550102', 'paid'),
                           (3, 'Cy', '+14155550103', 'trial') ON CONFLICT DO NOTHING;`;

const TOOLS = `# Switchboard's own form, with one MCP Toolbox-style tool ($1 placeholders)
sources:
  crm:
    kind: \${KIND}
    url: \${SOURCE_URL:-}
    dataDir: memory
    maxRows: 2
tools:
  get_lead_by_phone:
    description: The lead with this phone number
    statement: SELECT id, name, stage FROM leads WHERE phone = :phone
    parameters:
      - { name: phone, type: string, description: E.164 phone number }
    result: one
    notFound: No lead has that phone number.
    scopes: [leads:read]
  leads_in_stage:
    kind: postgres-sql
    description: Leads in one stage
    statement: SELECT id, name FROM leads WHERE stage = $1
    parameters:
      - name: stage
        type: string
        allowedValues: [trial, paid]
        default: trial
    orderBy: id
    paginate: true
  session_settings:
    description: What the call's transaction is set to
    statement: SELECT current_setting('jit') AS jit, current_setting('statement_timeout') AS timeout
    result: one
    timeoutMs: 1500
  compiled_settings:
    description: The same, for a tool that wants JIT
    statement: SELECT current_setting('jit') AS jit, current_setting('statement_timeout') AS timeout
    result: one
    jit: true
toolsets:
  lookup: [get_lead_by_phone]
`;

describe.each(sqlEngines())('tools.yaml on $name', ({ name, url }) => {
  let dir: string;
  let file: ToolsFile;
  const env = { KIND: name, SOURCE_URL: url ?? '' };
  const write = async (text: string, as = 'tools.yaml') => {
    const path = join(dir, as);
    await writeFile(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-tools-'));
    file = await loadToolsFile(await write(TOOLS), { env });
    await file.source('crm').exec(SCHEMA);
  }, SQL_SETUP_TIMEOUT);
  afterAll(async () => {
    await file.close();
    await rm(dir, { recursive: true });
  });

  it('registers the tools and serves them with the gateway’s safety', async () => {
    const server = new Switchboard({ name: 'from-yaml', version: '1.0.0' });
    const registered = await file.register(server);
    expect(registered.map((r) => r.name)).toEqual([
      'get_lead_by_phone',
      'leads_in_stage',
      'session_settings',
      'compiled_settings',
    ]);
    const client = new TestClient(server);
    expect((await client.callTool('get_lead_by_phone', { phone: '+14155550102' })).structuredContent).toEqual({
      id: 2,
      name: 'Bob',
      stage: 'paid',
    });
    const missing = await client.callTool('get_lead_by_phone', { phone: "' OR '1'='1" });
    expect(missing).toMatchObject({ isError: true, content: [{ text: 'No lead has that phone number.' }] });
    const first = (await client.callTool('leads_in_stage', {})).structuredContent as {
      rows: unknown[];
      nextCursor: string;
    };
    expect(first.rows).toEqual([
      { id: 1, name: 'Ada' },
      { id: 3, name: 'Cy' },
    ]);
    expect(first.nextCursor).toBeUndefined();
    const bad = await client.callTool('leads_in_stage', { stage: 'lost' });
    expect(bad.isError).toBe(true);
    const { tools } = await client.listTools();
    expect(tools[0]?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    // A tool's own limits, and JIT off unless the tool asks for it.
    expect((await client.callTool('session_settings', {})).structuredContent).toEqual({
      jit: 'off',
      timeout: '1500ms',
    });
    expect((await client.callTool('compiled_settings', {})).structuredContent).toMatchObject({ jit: 'on' });
  });

  it('registers one toolset, and says which toolsets exist', async () => {
    const server = new Switchboard({ name: 'from-yaml', version: '1.0.0' });
    expect((await file.register(server, { toolset: 'lookup' })).map((r) => r.name)).toEqual(['get_lead_by_phone']);
    await expect(file.register(server, { toolset: 'ops' })).rejects.toThrow(/no toolset "ops" \(toolsets: lookup\)/);
  });

  const attacks = [
    'SELECT id FROM leads; DROP TABLE leads',
    'SELECT id FROM leads WHERE id = :id;\n      COMMIT;\n      DROP TABLE leads',
    'SELECT 1 AS x; -- harmless?\n      DELETE FROM leads',
    'SELECT id FROM leads /* ; */ ; TRUNCATE leads',
    'SELECT $$ ; $$ AS x; DROP TABLE leads',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an environment reference the loader must not expand
    'SELECT ${EVIL} AS x',
  ];

  it('refuses multi-statement attacks at start, saying where, and leaves the data alone', async () => {
    const tools = attacks
      .map(
        (statement, i) =>
          `  attack_${i}:\n    description: d\n    statement: |\n      ${statement}\n    parameters: [${statement.includes(':id') ? '{ name: id, type: integer }' : ''}]\n`,
      )
      .join('');
    const toolsets = attacks.map((_, i) => `  t${i}: [attack_${i}]\n`).join('');
    const text = `sources:\n  crm: { kind: "\${KIND}", url: "\${SOURCE_URL:-}", dataDir: memory }\ntools:\n${tools}toolsets:\n${toolsets}`;
    const attackFile = await loadToolsFile(await write(text, 'attack.yaml'), {
      env: { ...env, EVIL: '1; DROP TABLE leads' },
    });
    try {
      if (name === 'pglite') await attackFile.source('crm').exec(SCHEMA);
      let line = 4;
      for (const [i, statement] of attacks.entries()) {
        const server = new Switchboard({ name: 'attack', version: '1.0.0' });
        const attempt = attackFile.register(server, { toolset: `t${i}` });
        await expect(attempt).rejects.toThrow(SqlCheckError);
        await expect(attackFile.register(server, { toolset: `t${i}` })).rejects.toThrow(
          new RegExp(`^.*attack\\.yaml:${line + 2}:5: SQL tool "attack_${i}": PostgreSQL refused`),
        );
        expect(server.core.tools.size).toBe(0);
        line += 4 + statement.split('\n').length;
      }
      const left = await attackFile.source('crm').query<{ n: number }>('SELECT count(*)::int AS n FROM leads');
      expect(left.rows).toEqual([{ n: 3 }]);
    } finally {
      await attackFile.close();
    }
  });

  it('says which source is down at start, and where it is declared', async () => {
    const text =
      'sources:\n  crm:\n    kind: postgres\n    host: 127.0.0.1\n    port: 1\n    connectTimeoutMs: 2000\ntools: {}\n';
    const attempt = loadToolsFile(await write(text, 'down.yaml'));
    await expect(attempt).rejects.toThrow(DatabaseUnavailableError);
    await expect(loadToolsFile(join(dir, 'down.yaml'))).rejects.toThrow(
      /down\.yaml:2:3: source "crm": Cannot reach PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/postgres/,
    );
    await expect(loadToolsFile(join(dir, 'missing.yaml'))).rejects.toThrow(ToolsFileError);
  });
});
