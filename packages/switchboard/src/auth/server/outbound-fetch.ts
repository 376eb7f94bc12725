import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** How the authorization server fetches documents from the internet (client metadata, client JWKS). */
export interface OutboundFetchOptions {
  /** Allow `http` and loopback addresses (development only: a client running on the same machine). */
  allowLoopback?: boolean;
  /** Give up after this long (default 2500 ms, oidc-provider's own bound). */
  timeoutMs?: number;
  /** Refuse bodies larger than this (default 64 KiB; oidc-provider applies a 5 KiB limit to metadata documents). */
  maxBytes?: number;
  /** Extra trusted CA certificates (PEM), for a private PKI. */
  ca?: string | Buffer | (string | Buffer)[];
}

/** Addresses no fetch may reach: private, shared, link-local, documentation, multicast and reserved ranges. */
const SPECIAL_USE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  SPECIAL_USE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  SPECIAL_USE.addSubnet(net, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Why an address may not be fetched, or undefined when it may. */
export function refusedAddress(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (LOOPBACK.check(address, family)) return allowLoopback ? undefined : 'a loopback address';
  if (SPECIAL_USE.check(address, family)) return 'a private or special-use address';
  return undefined;
}

class FetchRefused extends Error {}

/**
 * A `fetch` for oidc-provider's outbound requests, hardened against server-side request forgery: `https` only,
 * every address a name resolves to is checked after DNS (private, link-local, loopback and other special-use ranges
 * refused, and the connection goes to the checked address, so a rebinding DNS answer cannot swap it), no redirects
 * followed, JSON bodies only (draft-ietf-oauth-client-id-metadata-document-02 §4: other content types are an error),
 * a time limit and a size limit.
 */
export function createOutboundFetch(options: OutboundFetchOptions = {}) {
  const allowLoopback = options.allowLoopback ?? false;
  const timeoutMs = options.timeoutMs ?? 2500;
  const maxBytes = options.maxBytes ?? 64 * 1024;

  const guardedLookup = (
    hostname: string,
    lookupOptions: { all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) =>
    lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const bad = addresses.map((a) => refusedAddress(a.address, allowLoopback)).find((r) => r !== undefined);
      if (bad !== undefined) return callback(new FetchRefused(`${hostname} resolves to ${bad}`), []);
      const [first] = addresses;
      if (first === undefined) return callback(new FetchRefused(`${hostname} has no address`), []);
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });

  return async function outboundFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(String(input));
    const loopbackHost = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(allowLoopback && url.protocol === 'http:' && loopbackHost)) {
      throw new FetchRefused(`${url.origin} is not https`);
    }
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0) {
      const bad = refusedAddress(literal, allowLoopback);
      if (bad !== undefined) throw new FetchRefused(`${url.hostname} is ${bad}`);
    }
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(init.signal ? [init.signal] : [])]);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, {
        method: init.method ?? 'GET',
        headers,
        signal,
        lookup: guardedLookup as never,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      });
      req.once('response', resolve).once('error', reject).end();
    });
    const body = await readLimited(response, maxBytes, signal);
    const status = response.statusCode ?? 0;
    if (status === 200) {
      const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!/^application\/([\w.-]+\+)?json$/.test(type)) throw new FetchRefused(`${url.href} is not JSON (${type})`);
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') responseHeaders.set(name, value);
    }
    // Bodiless statuses (204, 304) may not carry a body in a Response.
    return new Response(status === 204 || status === 304 ? null : body, { status, headers: responseHeaders });
  };
}

async function readLimited(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      response.destroy();
      throw new FetchRefused(`response larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  signal.throwIfAborted();
  return Buffer.concat(chunks);
}
