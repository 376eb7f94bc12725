import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

const auth = (exp?: number) => ({ scopes: [], claims: {}, ...(exp === undefined ? {} : { expiresAt: exp }) });

describe('TokenCache', () => {
  it('keeps a token until its exp, then forgets it', () => {
    const cache = new TokenCache();
    const now = 1_000_000_000_000;
    const key = cache.key('token', 'https://mcp.example.com/mcp');
    const entry = auth(now / 1000 + 60);
    cache.set(key, entry, Number.POSITIVE_INFINITY, now);
    expect(cache.get(key, now + 59_999)).toBe(entry);
    expect(cache.get(key, now + 60_000)).toBeUndefined();
  });

  it('never keeps an entry longer than maxAgeMs, nor one already expired', () => {
    const cache = new TokenCache();
    const now = 1_000_000_000_000;
    cache.set('a', auth(now / 1000 + 3600), 5_000, now);
    expect(cache.get('a', now + 4_999)).toBeDefined();
    expect(cache.get('a', now + 5_000)).toBeUndefined();
    cache.set('b', auth(now / 1000 - 1), Number.POSITIVE_INFINITY, now);
    expect(cache.size).toBe(0);
  });

  it('files a token per resource', () => {
    const cache = new TokenCache();
    const one = cache.key('Bearer token', 'https://a.example/mcp');
    expect(one).not.toBe(cache.key('Bearer token', 'https://b.example/mcp'));
    expect(one).toBe(cache.key('Bearer token', 'https://a.example/mcp'));
  });

  it('past maxEntries the least recently used goes', () => {
    const cache = new TokenCache(2);
    cache.set('a', auth(), Number.POSITIVE_INFINITY);
    cache.set('b', auth(), Number.POSITIVE_INFINITY);
    expect(cache.get('a')).toBeDefined();
    cache.set('c', auth(), Number.POSITIVE_INFINITY);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
  });
});
