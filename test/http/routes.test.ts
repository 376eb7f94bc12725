import { Switchboard } from 'switchboard-mcp';
import { serve } from 'switchboard-mcp/http';
import { captureLogs } from 'switchboard-mcp/testing';
import { describe, expect, it } from 'vitest';
import { serves } from '../support/http.js';

describe('serve() routes beside the MCP endpoint', () => {
  it('answers exact and prefix routes on the same port, 404 elsewhere, and survives a failing route', async () => {
    const logs = captureLogs();
    const server = new Switchboard({ name: 'routes', version: '1', logger: logs.logger });
    const seen: string[] = [];
    const handle = await serve(server, {
      port: 0,
      routes: [
        { path: '/health', handler: (_req, res) => void res.writeHead(200).end('ok') },
        {
          path: '/oauth',
          prefix: true,
          handler: (req, res) => {
            seen.push(req.url ?? '');
            res.writeHead(200).end('as');
          },
        },
        {
          path: '/broken',
          handler: () => {
            throw new Error('route bug');
          },
        },
      ],
    });
    const origin = new URL(handle.url).origin;
    try {
      expect(await (await fetch(`${origin}/health`)).text()).toBe('ok');
      expect(await (await fetch(`${origin}/oauth/authorize?client_id=x`)).text()).toBe('as');
      // The handler sees the request as received: full path and query.
      expect(seen).toEqual(['/oauth/authorize?client_id=x']);
      expect((await fetch(`${origin}/oauthx`)).status).toBe(404);
      const broken = await fetch(`${origin}/broken`);
      expect(broken.status).toBe(500);
      expect(await broken.text()).not.toContain('route bug');
      expect(logs.lines.some((line) => line.msg === 'route handler failed')).toBe(true);
      expect(await serves(handle.url)).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('refuses a route on the MCP path at start', async () => {
    const server = new Switchboard({ name: 'routes', version: '1' });
    await expect(serve(server, { port: 0, routes: [{ path: '/mcp', handler: () => {} }] })).rejects.toThrow(
      /MCP endpoint/,
    );
  });
});
