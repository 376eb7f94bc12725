/** A Redis stream entry id (`<ms>-<seq>`) as two numbers, for comparison. */
export type EntryId = readonly [bigint, bigint];

export function parseEntryId(text: string): EntryId | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text);
  return match === null ? undefined : [BigInt(match[1] as string), BigInt(match[2] as string)];
}

export function formatEntryId([ms, seq]: EntryId): string {
  return `${ms}-${seq}`;
}

export function compare(a: EntryId, b: EntryId): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

/** Compares two entry ids given as text; one that does not parse sorts first. */
export function compareEntryIds(a: string, b: string): number {
  const [left, right] = [parseEntryId(a), parseEntryId(b)];
  if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? -1 : 1;
  return compare(left, right);
}
