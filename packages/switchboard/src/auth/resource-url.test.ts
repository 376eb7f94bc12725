import { describe, expect, it } from 'vitest';
import { canonicalResource, checkResourceUri, checkSecureUrl, metadataUrlOf } from './resource-url.js';

describe('resource URLs', () => {
  // 2026-07-28 basic/authorization §Canonical Server URI: accept uppercase scheme and host; no trailing slash.
  it('canonical form: lowercase scheme and host, no default port, fragment or trailing slash', () => {
    expect(canonicalResource('HTTPS://MCP.Example.com:443/mcp/')).toBe('https://mcp.example.com/mcp');
    expect(canonicalResource('https://mcp.example.com/')).toBe('https://mcp.example.com');
    expect(canonicalResource('http://127.0.0.1:8080/Mcp#x')).toBe('http://127.0.0.1:8080/Mcp');
  });

  // RFC 9728 §3.1: the well-known suffix goes between the host and the path.
  it('path-suffixed metadata URLs', () => {
    expect(metadataUrlOf('https://mcp.example.com/mcp')).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    );
    expect(metadataUrlOf('https://mcp.example.com/')).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource',
    );
    expect(metadataUrlOf('http://127.0.0.1:4000/a/mcp/')).toBe(
      'http://127.0.0.1:4000/.well-known/oauth-protected-resource/a/mcp/',
    );
  });

  it('refuses resource URIs that are relative, not http(s) or have a fragment (RFC 8707 §2)', () => {
    expect(() => checkResourceUri('/mcp', 'publicUrl')).toThrow(/absolute URL/);
    expect(() => checkResourceUri('ftp://x.example/mcp', 'publicUrl')).toThrow(/http\(s\)/);
    expect(() => checkResourceUri('https://x.example/mcp#frag', 'publicUrl')).toThrow(/fragment/);
    expect(checkResourceUri('https://x.example/mcp', 'publicUrl')).toBe('https://x.example/mcp');
  });

  // 2026-07-28 security-considerations §Communication Security: AS endpoints MUST be served over HTTPS.
  it('authorization server URLs are https, plain http only on loopback', () => {
    expect(() => checkSecureUrl('http://auth.example.com', 'issuer')).toThrow(/https/);
    expect(checkSecureUrl('http://127.0.0.1:9000/', 'issuer').port).toBe('9000');
    expect(checkSecureUrl('http://localhost:9000/', 'issuer').hostname).toBe('localhost');
    expect(checkSecureUrl('http://[::1]:9000/', 'issuer').hostname).toBe('[::1]');
    expect(checkSecureUrl('https://auth.example.com', 'issuer').protocol).toBe('https:');
  });
});
