import { isDeepStrictEqual } from 'node:util';

/** What merging a server into a config file does. */
export type MergeStatus = 'added' | 'replaced' | 'unchanged';

/** The file's new text and what changed in it. */
export interface MergeResult {
  status: MergeStatus;
  text: string;
}

/** Deep equality of two parsed documents, whatever prototype their parser gave the objects. */
export function sameData(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

/** Line and column (1-based) of `offset` in `text`. */
export function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
