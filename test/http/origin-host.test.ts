import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernRequest, rawRequest, serves, startServer } from '../support/http.js';

let url: string;
let port: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url, close } = await startServer(() => {}));
  port = new URL(url).port;
});
afterAll(() => close());

function discover(headers: Record<string, string>) {
  const request = modernRequest(1, 'server/discover');
  return rawRequest(url, { headers: { ...request.headers, ...headers }, body: request.body });
}

describe('Host is parsed strictly as host[:port] (DNS-rebinding protection)', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost:4101', '127.0.0.1', '127.0.0.1:4101', '[::1]', '[::1]:4101'])(
    'accepts loopback %j',
    async (host) => {
      const response = await discover({ host });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).result).toBeDefined();
    },
  );

  it.each([
    '127.0.0.1:4101@evil.example',
    'localhost:evil',
    'localhost:80:80',
    'localhost.evil.example',
    'evil.example:4101',
    '[::1]evil',
    '[::1]:evil',
    'localhost:123456',
    'user@localhost',
  ])('refuses %j with 403 and -32600', async (host) => {
    const response = await discover({ host });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: -32600, message: /Forbidden/ } });
    expect(await serves(url)).toBe(true);
  });

  it('allowedHosts matches the parsed name, not a prefix of the header', async () => {
    const named = await startServer(() => {}, { allowedHosts: ['mcp.example.com'] });
    try {
      const request = modernRequest(1, 'server/discover');
      const send = (host: string) =>
        rawRequest(named.url, { headers: { ...request.headers, host }, body: request.body });
      expect((await send('mcp.example.com')).status).toBe(200);
      expect((await send('mcp.example.com:8443')).status).toBe(200);
      expect((await send('mcp.example.com:8443@evil.example')).status).toBe(403);
      expect((await send('mcp.example.com.evil.example')).status).toBe(403);
    } finally {
      await named.close();
    }
  });
});

describe('CORS', () => {
  it('403 with -32600 for a preflight from a foreign origin', async () => {
    const response = await rawRequest(url, {
      method: 'OPTIONS',
      headers: {
        host: `127.0.0.1:${port}`,
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, mcp-protocol-version',
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers.vary).toContain('Origin');
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: -32600, message: /Origin/ } });
    expect(await serves(url)).toBe(true);
  });

  it('varies preflights on Origin and Access-Control-Request-Headers, and CORS responses on Origin', async () => {
    for (const origin of [undefined, 'http://localhost:6274']) {
      const preflight = await rawRequest(url, {
        method: 'OPTIONS',
        headers: {
          host: `127.0.0.1:${port}`,
          ...(origin && { origin }),
          'access-control-request-headers': 'mcp-param-region',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.vary).toBe('Origin, Access-Control-Request-Headers');
      expect(preflight.headers['access-control-allow-headers']).toBe('mcp-param-region');
    }
    const response = await discover({ origin: 'http://localhost:6274' });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:6274');
    expect(response.headers.vary).toBe('Origin');
  });
});
