import { Switchboard } from 'switchboard-mcp';
import type { AuthOptions } from 'switchboard-mcp/auth';
import {
  customVerifier,
  InvalidTokenError,
  metadataFetchHandler,
  metadataNodeHandler,
  ResourceServer,
} from 'switchboard-mcp/auth';
import { createFetchHandler, createNodeHandler, serve } from 'switchboard-mcp/http';
import { describe, expect, it } from 'vitest';
import { modernRequest, post, startFetchServer, startNodeServer } from '../support/http.js';

/**
 * The resource URL clients see: configured (publicUrl), derived from Host, or from X-Forwarded-* behind a trusted
 * proxy; and the metadata handlers users mount in their own framework. The verifier here accepts `for.<base64url(resource)>`,
 * so a test also shows which resource the server expected the token to name.
 */
const tokenFor = (resource: string) => `for.${Buffer.from(resource).toString('base64url')}`;
const verifier = customVerifier((token, { resource }) => {
  if (token !== tokenFor(resource)) throw new InvalidTokenError(`expected a token for ${resource}`);
  return { subject: 'alice', scopes: [], claims: {} };
});
const options = (extra: Partial<AuthOptions> = {}): AuthOptions => ({
  authorizationServers: ['https://auth.example.com'],
  verifier,
  ...extra,
});

function newServer(): Switchboard {
  const server = new Switchboard({ name: 'public-url', version: '1' });
  server.tool('ping', {}, () => 'pong');
  return server;
}

async function challengeOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const request = modernRequest(1, 'tools/call', { name: 'ping', arguments: {} });
  const response = await post(url, request.body, { ...request.headers, ...headers });
  expect(response.status).toBe(401);
  await response.text();
  return response.headers.get('www-authenticate') ?? '';
}

async function callWith(url: string, token: string, headers: Record<string, string> = {}): Promise<number> {
  const request = modernRequest(1, 'tools/call', { name: 'ping', arguments: {} });
  const response = await post(url, request.body, { ...request.headers, ...headers, authorization: `Bearer ${token}` });
  await response.text();
  return response.status;
}

describe('the public URL of a protected endpoint', () => {
  it('publicUrl: the challenge, the metadata and the expected audience all use it, whatever the Host', async () => {
    const handle = await serve(newServer(), {
      port: 0,
      auth: options({ publicUrl: 'https://mcp.example.com/tools/mcp' }),
    });
    const origin = new URL(handle.url).origin;
    try {
      expect(await challengeOf(handle.url)).toBe(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/tools/mcp"',
      );
      // The proxy maps the public path onto this server; the metadata is served at the public path-suffixed URI.
      const metadata = await fetch(`${origin}/.well-known/oauth-protected-resource/tools/mcp`);
      expect(await metadata.json()).toMatchObject({ resource: 'https://mcp.example.com/tools/mcp' });
      expect(await callWith(handle.url, tokenFor('https://mcp.example.com/tools/mcp'))).toBe(200);
      expect(await callWith(handle.url, tokenFor(handle.url))).toBe(401);
    } finally {
      await handle.close();
    }
  });

  it('a trailing slash in publicUrl: metadata answers with and without it, resource in canonical form', async () => {
    const handle = await serve(newServer(), { port: 0, auth: options({ publicUrl: 'https://mcp.example.com/mcp/' }) });
    const origin = new URL(handle.url).origin;
    try {
      for (const path of ['/mcp/', '/mcp']) {
        const metadata = await fetch(`${origin}/.well-known/oauth-protected-resource${path}`);
        expect(await metadata.json()).toMatchObject({ resource: 'https://mcp.example.com/mcp' });
      }
      expect(await callWith(handle.url, tokenFor('https://mcp.example.com/mcp'))).toBe(200);
    } finally {
      await handle.close();
    }
  });

  it('X-Forwarded-* is ignored unless trustProxy is set', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'mcp.example.com' };
    const plain = await serve(newServer(), { port: 0, auth: options() });
    const trusting = await serve(newServer(), { port: 0, auth: options({ trustProxy: true }) });
    try {
      const own = new URL(plain.url).origin;
      expect(await challengeOf(plain.url, forwarded)).toBe(
        `Bearer resource_metadata="${own}/.well-known/oauth-protected-resource/mcp"`,
      );
      expect(await callWith(plain.url, tokenFor('https://mcp.example.com/mcp'), forwarded)).toBe(401);
      expect(await challengeOf(trusting.url, forwarded)).toBe(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
      );
      const metadata = await fetch(`${new URL(trusting.url).origin}/.well-known/oauth-protected-resource/mcp`, {
        headers: forwarded,
      });
      expect(await metadata.json()).toMatchObject({ resource: 'https://mcp.example.com/mcp' });
      expect(await callWith(trusting.url, tokenFor('https://mcp.example.com/mcp'), forwarded)).toBe(200);
      // A forwarded host that could carry a path or credentials is ignored.
      expect(await challengeOf(trusting.url, { 'x-forwarded-host': 'evil.example/x@y' })).toContain(
        new URL(trusting.url).origin,
      );
    } finally {
      await plain.close();
      await trusting.close();
    }
  });

  it('a resource that is not the endpoint URL: its metadata lives at its own well-known URI', async () => {
    const handle = await serve(newServer(), {
      port: 0,
      auth: options({ publicUrl: 'https://mcp.example.com/mcp', resource: 'https://mcp.example.com' }),
    });
    try {
      expect(await challengeOf(handle.url)).toBe(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"',
      );
      const metadata = await fetch(`${new URL(handle.url).origin}/.well-known/oauth-protected-resource`);
      expect(await metadata.json()).toMatchObject({ resource: 'https://mcp.example.com' });
      expect(await callWith(handle.url, tokenFor('https://mcp.example.com'))).toBe(200);
    } finally {
      await handle.close();
    }
  });

  it('refuses both auth and authenticate, and options that cannot work', () => {
    expect(() => createNodeHandler(newServer(), { auth: options(), authenticate: () => undefined })).toThrow(
      /not both/,
    );
    expect(() => new ResourceServer(options({ authorizationServers: [] }))).toThrow(/at least one/);
    expect(() => new ResourceServer(options({ authorizationServers: ['http://auth.example.com'] }))).toThrow(/https/);
    expect(() => new ResourceServer(options({ publicUrl: 'mcp.example.com/mcp' }))).toThrow(/absolute URL/);
    expect(() => new ResourceServer(options({ scopesSupported: ['two words'] }))).toThrow(/valid scope/);
  });
});

describe('mounting in your own framework', () => {
  it('node: createNodeHandler with a ResourceServer and its metadata handler, at another path', async () => {
    const auth = new ResourceServer(options(), '/api/mcp');
    const mcp = createNodeHandler(newServer(), { auth });
    const metadata = metadataNodeHandler(auth);
    expect(auth.metadataPaths).toEqual([
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/api/mcp',
      '/.well-known/oauth-protected-resource/api/mcp/',
    ]);
    const http = await startNodeServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (auth.metadataPaths.includes(path)) metadata(req, res);
      else if (path === '/api/mcp') void mcp(req, res);
      else res.writeHead(404).end();
    });
    const origin = new URL(http.url).origin;
    try {
      const url = `${origin}/api/mcp`;
      expect(await challengeOf(url)).toBe(
        `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/api/mcp"`,
      );
      const document = await fetch(`${origin}/.well-known/oauth-protected-resource/api/mcp`);
      expect(await document.json()).toMatchObject({
        resource: url,
        authorization_servers: ['https://auth.example.com'],
      });
      expect(await callWith(url, tokenFor(url))).toBe(200);
    } finally {
      await http.close();
    }
  });

  it('fetch: createFetchHandler with a ResourceServer and metadataFetchHandler', async () => {
    const auth = new ResourceServer(options());
    const mcp = createFetchHandler(newServer(), { auth });
    const metadata = metadataFetchHandler(auth);
    const http = await startFetchServer(async (request) => {
      const path = new URL(request.url).pathname;
      if (auth.metadataPaths.includes(path)) return metadata(request);
      return mcp(request);
    });
    try {
      const origin = new URL(http.url).origin;
      expect(await challengeOf(http.url)).toContain(`${origin}/.well-known/oauth-protected-resource/mcp`);
      const document = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`);
      expect(document.headers.get('access-control-allow-origin')).toBe('*');
      expect(await document.json()).toMatchObject({ resource: http.url });
      expect(await callWith(http.url, tokenFor(http.url))).toBe(200);
    } finally {
      await http.close();
    }
  });
});
