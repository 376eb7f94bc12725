import { describe, expect, it } from 'vitest';
import { bearerChallenge } from '../../auth/challenge.js';
import { parseBearerChallenge } from './challenge.js';

describe('parseBearerChallenge', () => {
  it('reads what the resource server writes', () => {
    const header = bearerChallenge({
      error: 'insufficient_scope',
      scope: ['leads:read', 'leads:write'],
      resourceMetadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      errorDescription: 'needs more',
    });
    expect(parseBearerChallenge(header)).toEqual({
      error: 'insufficient_scope',
      scope: ['leads:read', 'leads:write'],
      resourceMetadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
      errorDescription: 'needs more',
    });
  });

  it('finds the Bearer challenge among others, with tokens, escapes and any case', () => {
    expect(parseBearerChallenge('Basic realm="x", bearer scope=notes, error="invalid_token"')).toEqual({
      scope: ['notes'],
      error: 'invalid_token',
    });
    expect(parseBearerChallenge('Bearer error_description="say \\"hi\\""')).toEqual({ errorDescription: 'say "hi"' });
    expect(parseBearerChallenge('Bearer')).toEqual({});
  });

  it('is undefined without a Bearer challenge', () => {
    expect(parseBearerChallenge(null)).toBeUndefined();
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge('Bearerish scope="x"')).toBeUndefined();
  });
});
