import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, listUsers } from 'switchboard-mcp/auth/server';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { createTestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorize, discover, registerClient, tokenRequest } from '../test/auth/support/auth-harness.js';
import { startProtectedServer } from './examples/auth-server.js';

// Each file starts its own PGlite or PostgreSQL database, which is slow on a busy machine.
vi.setConfig({ hookTimeout: 90_000 });

const docs = fileURLToPath(new URL('.', import.meta.url));

describe('docs/auth.md: the built-in authorization server beside an MCP endpoint', () => {
  let db: TestDatabase;
  let started: Awaited<ReturnType<typeof startProtectedServer>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    started = await startProtectedServer({ port: 0, database: db });
  });
  afterAll(async () => {
    await started?.close();
    await db?.dispose();
  });

  it('is shown in docs/auth.md exactly as it is', () => {
    const page = readFileSync(join(docs, 'auth.md'), 'utf8');
    expect(page).toContain(readFileSync(join(docs, 'examples/auth-server.ts'), 'utf8'));
  });

  it('printed a one-time demo login on first run, and a token for it calls the protected tool', async () => {
    expect((await listUsers(db)).map((u) => u.username)).toEqual(['demo']);
    await addUser(db, { username: 'alice', password: 'correct horse battery' });
    const origin = started.origin;
    const h = { as: started.auth, issuer: origin, resource: `${origin}/mcp`, metadata: await discover(origin) };
    const client = await registerClient(h as never);
    const flow = await authorize(h as never, { client, scope: 'notes:read' });
    const tokens = await tokenRequest(h as never, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: flow.callback.searchParams.get('code')!,
      redirect_uri: flow.redirectUri,
      code_verifier: flow.verifier,
    });
    const call = (authorization?: string) =>
      fetch(`${origin}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'whoami',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'whoami',
            arguments: {},
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        }),
      });
    const anonymous = await call();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('resource_metadata=');
    const answered = await call(`Bearer ${tokens.body.access_token}`);
    expect(answered.status).toBe(200);
    const alice = (await listUsers(db)).find((u) => u.username === 'alice')!;
    expect(await answered.text()).toContain(`You are ${alice.id}`);
  });
});
