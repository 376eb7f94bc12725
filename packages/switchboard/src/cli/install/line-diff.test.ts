import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('shows a new file as all additions', () => {
    expect(lineDiff('f', '', 'a\nb\n')).toBe('--- f\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b');
  });

  it('shows a change with two lines of context on each side', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7'].join('\n');
    const after = ['1', '2', '3', '4x', '4y', '5', '6', '7'].join('\n');
    expect(lineDiff('f', before, after)).toBe('--- f\n+++ f\n@@ -2,5 +2,6 @@\n 2\n 3\n-4\n+4x\n+4y\n 5\n 6');
  });
});
