/**
 * A unified diff of two texts with `context` lines around the change, for `install --dry-run`. Config edits are
 * local, so the common head and tail are cut first and the rest compared line by line (longest common
 * subsequence), which stays small.
 */
export function lineDiff(path: string, before: string, after: string, context = 2): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  const start = Math.max(0, head - context);
  const lines = [
    ...a.slice(start, head).map((line) => ` ${line}`),
    ...middle(removed, added),
    ...a.slice(a.length - tail, a.length - tail + context).map((line) => ` ${line}`),
  ];
  const oldCount = head - start + removed.length + Math.min(context, tail);
  const newCount = head - start + added.length + Math.min(context, tail);
  const range = (count: number) => `${count === 0 ? start : start + 1},${count}`;
  return [`--- ${path}`, `+++ ${path}`, `@@ -${range(oldCount)} +${range(newCount)} @@`, ...lines].join('\n');
}

/** The changed middle as `-`/`+`/` ` lines, from a longest common subsequence table. */
function middle(a: string[], b: string[]): string[] {
  const lcs = a.map(() => new Array<number>(b.length + 1).fill(0));
  lcs.push(new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(` ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push(`-${a[i++]}`);
    } else {
      out.push(`+${b[j++]}`);
    }
  }
  return out;
}
