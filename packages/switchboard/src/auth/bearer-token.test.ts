import { describe, expect, it } from 'vitest';
import { readBearerToken } from './bearer-token.js';

describe('readBearerToken', () => {
  it('reads a Bearer token, the scheme in any case', () => {
    expect(readBearerToken('Bearer abc.def-ghi_~+/==', '/mcp')).toEqual({ kind: 'token', token: 'abc.def-ghi_~+/==' });
    expect(readBearerToken('bearer abc', '/mcp')).toEqual({ kind: 'token', token: 'abc' });
  });

  // RFC 6750 §3.1: no credentials, or another scheme, is answered without an error code.
  it('treats no header and other schemes as no credentials', () => {
    expect(readBearerToken(undefined, '/mcp')).toEqual({ kind: 'none' });
    expect(readBearerToken('Basic dXNlcjpwYXNz', '/mcp')).toEqual({ kind: 'none' });
    expect(readBearerToken('DPoP abc', '/mcp')).toEqual({ kind: 'none' });
  });

  // 2026-07-28 basic/authorization §Token Requirements: access tokens MUST NOT be in the URI query string.
  it('refuses a token in the query string, with or without a header', () => {
    expect(readBearerToken(undefined, '/mcp?access_token=abc').kind).toBe('refused');
    expect(readBearerToken('Bearer abc', '/mcp?x=1&access_token=abc').kind).toBe('refused');
    expect(readBearerToken('Bearer abc', '/mcp?token=abc')).toEqual({ kind: 'token', token: 'abc' });
  });

  it('refuses empty and malformed credentials, and two Authorization headers', () => {
    expect(readBearerToken('Bearer', '/mcp').kind).toBe('refused');
    expect(readBearerToken('Bearer   ', '/mcp').kind).toBe('refused');
    expect(readBearerToken('Bearer a b', '/mcp').kind).toBe('refused');
    expect(readBearerToken('Bearer abc, Bearer def', '/mcp').kind).toBe('refused');
  });
});
