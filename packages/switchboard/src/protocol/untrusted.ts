/**
 * The one place values a client sent are checked before the code reads them as anything: nothing here coerces
 * (no `String(x)`, no template literal on a client's object, whose `toString` may be anything or nothing), and
 * nothing consults a prototype.
 */

/** How deep a client's JSON may nest (objects and arrays); deeper values get -32602 before anything walks them. */
export const MAX_JSON_DEPTH = 64;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, else undefined: the check to make before using a field as a name or URI. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A record's own entry for `key` (never `toString`, `__proto__` or another inherited member). */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A client's value for an error message: strings as they are (cut short), anything else by its JSON type. */
export function describeValue(value: unknown, max = 200): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${value}`;
  if (value === null) return 'null';
  return Array.isArray(value) ? '(an array)' : `(${typeof value === 'object' ? 'an object' : typeof value})`;
}

/**
 * Whether `value` nests objects and arrays deeper than `max`. It stops descending at the limit, so its own recursion
 * is bounded, and allocates nothing; a normal request visits a handful of nodes.
 */
export function exceedsDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  // Leaves (most members) are skipped here rather than in a call of their own.
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null && exceedsDepth(item, max - 1)) return true;
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null && exceedsDepth(item, max - 1)) return true;
  }
  return false;
}
