import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ToolError } from 'switchboard-mcp';
import type { AuthOutcome } from 'switchboard-mcp/http';
import { accessLog } from 'switchboard-mcp/observability';
import { captureLogs, TestClient } from 'switchboard-mcp/testing';
import { describe, expect, it } from 'vitest';
import { modernRequest, post, startServer } from '../support/http.js';

const asAda = (): AuthOutcome => ({ subject: 'ada', scopes: [], claims: { iss: 'https://id.example' } });

describe('accessLog()', () => {
  it('writes one structured line per request over HTTP, both eras (official SDK v2 client)', async () => {
    const { logger, lines } = captureLogs('info');
    const started = await startServer(
      (server) => {
        server.tool('lookup', {}, () => 'found');
        server.tool('broken', {}, () => {
          throw new ToolError('No such lead');
        });
        server.use(accessLog({ logger }));
      },
      { authenticate: asAda },
    );
    try {
      for (const mode of ['legacy', 'auto'] as const) {
        const client = new Client({ name: 'log', version: '1' }, { versionNegotiation: { mode } });
        await client.connect(new StreamableHTTPClientTransport(new URL(started.url)));
        await client.callTool({ name: 'lookup', arguments: {} });
        await client.close();
      }
      const { headers, body } = modernRequest(5, 'tools/call', { name: 'broken', arguments: {} });
      await post(started.url, body, headers);
      const unknown = modernRequest(6, 'resources/read', { uri: 'memo://none' });
      await post(started.url, unknown.body, unknown.headers);
    } finally {
      await started.close();
    }
    const requests = lines.filter((line) => line.msg === 'request');
    const lookups = requests.filter((line) => line.tool === 'lookup');
    expect(lookups.map((line) => line.era).sort()).toEqual(['legacy', 'modern']);
    for (const line of lookups) {
      expect(line).toMatchObject({
        method: 'tools/call',
        principal: 'sub:https://id.example#ada',
        status: 'ok',
        durationMs: expect.any(Number),
      });
    }
    expect(lookups.find((line) => line.era === 'legacy')?.sessionId).toEqual(expect.any(String));
    expect(requests.find((line) => line.tool === 'broken')).toMatchObject({ status: 'tool_error', requestId: 5 });
    expect(requests.find((line) => line.method === 'resources/read')).toMatchObject({ status: 'error', code: -32602 });
    expect(requests.some((line) => line.method === 'initialize' && line.era === 'legacy')).toBe(true);
    // Exactly one line per request: no request is logged twice.
    const ids = requests.filter((line) => line.era === 'modern').map((line) => `${line.method}:${line.requestId}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('logs on the server logger by default, anonymous callers as anonymous (in-memory client)', async () => {
    const { logger, lines } = captureLogs('info');
    const { Switchboard } = await import('switchboard-mcp');
    const server = new Switchboard({ name: 't', version: '1', logger });
    server.tool('lookup', {}, () => 'found');
    server.use(accessLog());
    await new TestClient(server).callTool('lookup', {});
    expect(lines.filter((line) => line.msg === 'request').at(-1)).toMatchObject({
      method: 'tools/call',
      tool: 'lookup',
      principal: 'anonymous',
      status: 'ok',
    });
  });
});
