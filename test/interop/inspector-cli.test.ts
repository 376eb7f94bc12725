import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteropServer } from './fixture-server.js';
import { stdioServer } from './support.js';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/index.js');

/**
 * Runs the MCP Inspector CLI and parses its JSON output. It looks for its own package.json relative to the
 * working directory, so it runs from its build folder.
 */
async function inspect(target: string[], ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [cli, ...target, ...args], { cwd: dirname(cli), timeout: 30_000 });
  return JSON.parse(stdout);
}

let http: HttpServerHandle;
beforeAll(async () => {
  http = await serve(createInteropServer(), { port: 0 });
});
afterAll(() => http.close());

const stdioTarget = [stdioServer.command, ...stdioServer.args];

describe('MCP Inspector CLI', () => {
  it('lists and calls tools, reads resources and renders prompts over stdio', async () => {
    const listed = await inspect(stdioTarget, '--method', 'tools/list');
    expect((listed.tools as { name: string }[]).map((t) => t.name)).toContain('lookup_lead');
    expect(
      await inspect(stdioTarget, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=2', 'b=40'),
    ).toMatchObject({
      content: [{ type: 'text', text: '42' }],
    });
    expect(await inspect(stdioTarget, '--method', 'resources/read', '--uri', 'memo://readme')).toMatchObject({
      contents: [{ uri: 'memo://readme', text: 'Interop works.' }],
    });
    expect(
      await inspect(
        stdioTarget,
        '--method',
        'prompts/get',
        '--prompt-name',
        'summarize',
        '--prompt-args',
        'leadId=9',
        'tone=detailed',
      ),
    ).toMatchObject({
      messages: [{ role: 'user', content: { type: 'text', text: 'Summarize lead 9, detailed.' } }],
    });
  });

  it('lists and calls tools over Streamable HTTP, including a validation error', async () => {
    const target = [http.url, '--transport', 'http'];
    const listed = await inspect(target, '--method', 'tools/list');
    expect((listed.tools as { name: string }[]).map((t) => t.name)).toEqual([
      'add',
      'lookup_lead',
      'count_to',
      'greet',
    ]);
    expect(
      await inspect(target, '--method', 'tools/call', '--tool-name', 'lookup_lead', '--tool-arg', 'id=7'),
    ).toMatchObject({
      structuredContent: { id: 7, stage: 'trial', plan: 'Growth' },
    });
    const invalid = await inspect(target, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=1');
    expect(invalid).toMatchObject({
      isError: true,
      content: [{ text: expect.stringContaining('- b: expected number, received nothing (the field is missing)') }],
    });
  });
});
