import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteropServer, TOOL_NAMES } from './fixture-server.js';
import { isGone, stdioServer } from './support.js';

/** The package's `mcp-inspector-cli` bin. */
const cli = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `mcp-inspector-cli --cli <target> <args>`. The bin starts the CLI proper as a child `node`, which spawns the
 * fixture server for stdio targets, so the run gets a process group of its own; whatever of it is left once the bin
 * has exited, or has not finished within 15 s, is killed through that group. The CLI finds its package.json relative
 * to the working directory, so it runs from its build folder.
 */
async function inspect(target: string[], ...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [cli, '--cli', ...target, ...args], {
    cwd: dirname(cli),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid as number;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group has already gone.
    }
  };
  const watchdog = setTimeout(killGroup, 15_000);
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    clearTimeout(watchdog);
    if (!isGone(-pid)) killGroup();
  }
}

/** A successful run's JSON output. */
async function inspectJson(target: string[], ...args: string[]): Promise<Record<string, unknown>> {
  const run = await inspect(target, ...args);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout);
}

let http: HttpServerHandle;
beforeAll(async () => {
  http = await serve(createInteropServer(), { port: 0 });
});
afterAll(() => http.close());

const stdioTarget = [stdioServer.command, ...stdioServer.args];

describe('MCP Inspector CLI', () => {
  it('lists and calls tools over stdio', async () => {
    const listed = await inspectJson(stdioTarget, '--method', 'tools/list');
    expect((listed.tools as { name: string }[]).map((t) => t.name)).toEqual(TOOL_NAMES);
    // The CLI turns `a=2` into a number only because the listed inputSchema says the field is a number.
    expect(
      await inspectJson(stdioTarget, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=2', 'b=40'),
    ).toEqual({ content: [{ type: 'text', text: '42' }] });
  });

  it('reads resources and renders prompts over stdio', async () => {
    expect(await inspectJson(stdioTarget, '--method', 'resources/read', '--uri', 'memo://readme')).toEqual({
      contents: [{ uri: 'memo://readme', mimeType: 'text/plain', text: 'Interop works.' }],
    });
    expect(
      await inspectJson(
        stdioTarget,
        '--method',
        'prompts/get',
        '--prompt-name',
        'summarize',
        '--prompt-args',
        'leadId=9',
        'tone=detailed',
      ),
    ).toEqual({
      messages: [{ role: 'user', content: { type: 'text', text: 'Summarize lead 9, detailed.' } }],
    });
  });

  it('lists and calls tools over Streamable HTTP, including a validation error', async () => {
    const target = [http.url, '--transport', 'http'];
    const listed = await inspectJson(target, '--method', 'tools/list');
    expect((listed.tools as { name: string }[]).map((t) => t.name)).toEqual(TOOL_NAMES);
    expect(
      await inspectJson(target, '--method', 'tools/call', '--tool-name', 'lookup_lead', '--tool-arg', 'id=7'),
    ).toEqual({
      content: [{ type: 'text', text: '{"id":7,"stage":"trial","plan":"Growth"}' }],
      structuredContent: { id: 7, stage: 'trial', plan: 'Growth' },
    });
    const invalid = await inspectJson(target, '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=1');
    expect(invalid).toMatchObject({
      isError: true,
      content: [
        {
          type: 'text',
          text: expect.stringContaining('- b: expected number, received nothing (the field is missing)'),
        },
      ],
    });
  });

  it('fails with the server message for an unknown tool', async () => {
    const run = await inspect([http.url, '--transport', 'http'], '--method', 'tools/call', '--tool-name', 'nope');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MCP error -32602: Unknown tool "nope"');
  });
});
