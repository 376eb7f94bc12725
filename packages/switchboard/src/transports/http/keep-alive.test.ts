import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEEP_ALIVE_MS, keepAlive } from './keep-alive.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('SSE keep-alive', () => {
  it('writes a comment line to open streams each interval and forgets closed ones', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const writer = { closed: false, write: (chunk: string) => written.push(chunk), end: () => {} };
    keepAlive(writer);
    vi.advanceTimersByTime(KEEP_ALIVE_MS);
    expect(written).toEqual([': keep-alive\n\n']);
    writer.closed = true;
    vi.advanceTimersByTime(KEEP_ALIVE_MS * 3);
    expect(written).toHaveLength(1);
  });
});
