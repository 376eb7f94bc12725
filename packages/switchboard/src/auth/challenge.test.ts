import { describe, expect, it } from 'vitest';
import { bearerChallenge } from './challenge.js';

describe('bearerChallenge', () => {
  // RFC 6750 §3.1: a request lacking credentials gets no error code.
  it('a first challenge carries the metadata URL and scopes, no error', () => {
    expect(
      bearerChallenge({
        resourceMetadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
        scope: ['leads:read', 'mail'],
      }),
    ).toBe(
      'Bearer scope="leads:read mail", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('an error challenge names the error first and keeps descriptions to plain ASCII without quotes', () => {
    expect(
      bearerChallenge({
        error: 'invalid_token',
        resourceMetadata: 'https://x.example/.well-known/oauth-protected-resource',
        errorDescription: 'the "token" has\nexpired \\ é',
      }),
    ).toBe(
      'Bearer error="invalid_token", resource_metadata="https://x.example/.well-known/oauth-protected-resource", error_description="the token hasexpired  "',
    );
  });

  it('omits an empty scope list and is bare Bearer with nothing to say', () => {
    expect(bearerChallenge({ scope: [] })).toBe('Bearer');
  });
});
