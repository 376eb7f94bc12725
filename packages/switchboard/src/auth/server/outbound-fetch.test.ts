import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundFetch, refusedAddress } from './outbound-fetch.js';

describe('the SSRF-hardened fetch', () => {
  let port = 0;
  const server = createServer((req, res) => {
    if (req.url === '/big')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(2000)}"`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['10.1.2.3', 'a private or special-use address'],
    ['172.20.0.1', 'a private or special-use address'],
    ['192.168.0.10', 'a private or special-use address'],
    ['169.254.169.254', 'a private or special-use address'],
    ['100.64.0.1', 'a private or special-use address'],
    ['fd00::1', 'a private or special-use address'],
    ['fe80::1', 'a private or special-use address'],
    ['::ffff:10.0.0.1', 'a private or special-use address'],
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
  ])('classifies %s as %s', (address, reason) => {
    expect(refusedAddress(address, false)).toBe(reason);
  });

  it('lets public addresses through, and loopback only in development', () => {
    expect(refusedAddress('93.184.216.34', false)).toBeUndefined();
    expect(refusedAddress('2606:4700::1111', false)).toBeUndefined();
    expect(refusedAddress('127.0.0.1', true)).toBeUndefined();
  });

  it('refuses http and private address literals before connecting', async () => {
    const fetch = createOutboundFetch();
    await expect(fetch('http://example.com/client.json')).rejects.toThrow('is not https');
    await expect(fetch('https://10.0.0.7/client.json')).rejects.toThrow('is a private or special-use address');
    await expect(fetch('https://[fd00::1]/client.json')).rejects.toThrow('special-use');
  });

  it('checks the address a name resolves to (DNS), not the name', async () => {
    const strict = createOutboundFetch();
    await expect(strict(`https://localhost:${port}/doc`)).rejects.toThrow('localhost resolves to a loopback address');
    const development = createOutboundFetch({ allowLoopback: true });
    expect(await (await development(`http://localhost:${port}/doc`)).json()).toEqual({ ok: true });
  });

  it('stops reading past the size limit', async () => {
    const fetch = createOutboundFetch({ allowLoopback: true, maxBytes: 1000 });
    await expect(fetch(`http://127.0.0.1:${port}/big`)).rejects.toThrow('larger than 1000 bytes');
  });
});
