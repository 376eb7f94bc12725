import { describe, expect, it } from 'vitest';
import { hasScopes, isScopeToken, missingScopes, parseScopes, scopeCovers } from './scopes.js';

describe('scopes', () => {
  it('parses a space-delimited scope claim and an array claim', () => {
    expect(parseScopes('leads:read  leads:write ')).toEqual(['leads:read', 'leads:write']);
    expect(parseScopes(['leads:read', 3, '', 'mail'])).toEqual(['leads:read', 'mail']);
    expect(parseScopes(undefined)).toEqual([]);
    expect(parseScopes({ scope: 'x' })).toEqual([]);
  });

  // 2026-07-28 basic/authorization §Step-Up Authorization Flow: a broader scope implies narrower ones.
  it('a broader scope covers the narrower ones below it, by : segments', () => {
    expect(scopeCovers(['leads'], 'leads:read')).toBe(true);
    expect(scopeCovers(['leads'], 'leads:read:own')).toBe(true);
    expect(scopeCovers(['leads:read'], 'leads:read')).toBe(true);
    expect(scopeCovers(['leads:read'], 'leads')).toBe(false);
    expect(scopeCovers(['leads:read'], 'leads:write')).toBe(false);
    expect(scopeCovers(['lead'], 'leads:read')).toBe(false);
    expect(scopeCovers(['leads'], 'leadsx:read')).toBe(false);
    expect(scopeCovers([], 'leads')).toBe(false);
  });

  it('lists the missing scopes once each, in the order required', () => {
    expect(missingScopes(['leads:read'], ['mail:send', 'leads:read', 'leads:write', 'mail:send'])).toEqual([
      'mail:send',
      'leads:write',
    ]);
    expect(hasScopes(['leads', 'mail'], ['leads:write', 'mail:send'])).toBe(true);
    expect(hasScopes(['leads'], ['leads:write', 'mail:send'])).toBe(false);
  });

  it('recognizes RFC 6749 scope tokens', () => {
    expect(isScopeToken('leads:read')).toBe(true);
    expect(isScopeToken('https://graph.microsoft.com/.default')).toBe(true);
    expect(isScopeToken('two words')).toBe(false);
    expect(isScopeToken('quote"d')).toBe(false);
    expect(isScopeToken('')).toBe(false);
  });
});
