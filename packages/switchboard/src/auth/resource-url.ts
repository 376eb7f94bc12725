import { RegistrationError } from '../protocol/errors.js';

/** RFC 9728 §3: the well-known suffix of Protected Resource Metadata. */
export const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The canonical form of a resource URI, for comparing what a token names with what this server is: lowercase scheme
 * and host, no default port, no fragment, no trailing slash (`https://MCP.example.com:443/mcp/` →
 * `https://mcp.example.com/mcp`).
 * 2026-07-28 basic/authorization §Canonical Server URI: implementations SHOULD accept uppercase scheme and host
 * components, and SHOULD use the form without the trailing slash.
 */
export function canonicalResource(uri: string): string {
  const url = new URL(uri);
  url.hash = '';
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return `${url.protocol}//${url.host}${path}${url.search}`;
}

/** Checks a configured resource or public URL: absolute http(s), no fragment (RFC 8707 §2). */
export function checkResourceUri(uri: string, option: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new RegistrationError(`auth.${option} must be an absolute URL such as https://mcp.example.com/mcp`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RegistrationError(`auth.${option} must be an http(s) URL, not ${url.protocol}`);
  }
  // RFC 8707 §2: the resource indicator MUST NOT include a fragment component.
  if (uri.includes('#')) throw new RegistrationError(`auth.${option} must not have a fragment`);
  return uri;
}

/**
 * The path-suffixed metadata URL of a resource (RFC 9728 §3.1): the well-known suffix goes between the host and the
 * path, so `https://mcp.example.com/mcp` has its metadata at
 * `https://mcp.example.com/.well-known/oauth-protected-resource/mcp`.
 */
export function metadataUrlOf(resource: string): string {
  const url = new URL(resource);
  // RFC 9728 §3.1: a terminating slash after the host is removed before inserting the suffix.
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${PRM_WELL_KNOWN}${path}${url.search}`;
}

/** Whether the host of a URL is this machine, where plain http is allowed for development. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Refuses authorization-server URLs that are not https, except on loopback.
 * 2026-07-28 basic/authorization/security-considerations §Communication Security: all authorization server
 * endpoints MUST be served over HTTPS.
 */
export function checkSecureUrl(value: string | URL, what: string): URL {
  const url = new URL(value);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return url;
  throw new RegistrationError(`${what} must be an https URL (plain http only on localhost): ${url.href}`);
}
