/**
 * Request ids past 2^53 keep their exact value. `JSON.parse` reads every number as a double, so `9007199254740993`
 * would come back as `…992`; when (and only when) a parsed id is an integer outside the safe range, its source
 * text is found again and the id becomes a `bigint`, which the encoders write back digit for digit.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const VALUE_END = new Set([',', '}', ']', ' ', '\t', '\n', '\r']);

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  return i;
}

function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return i;
}

/** The end of the JSON value starting at `at`; iterative, so nesting depth costs no stack. */
function skipValue(text: string, at: number): number {
  let i = skipWhitespace(text, at);
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first !== '{' && first !== '[') {
    while (i < text.length && !VALUE_END.has(text[i] as string)) i++;
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** The source text of the last `"id"` member of the object at `at` (JSON.parse keeps the last duplicate too). */
function idSourceOfObject(text: string, at: number): string | undefined {
  let i = at + 1;
  let source: string | undefined;
  while (i < text.length) {
    i = skipWhitespace(text, i);
    if (text[i] !== '"') return source;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWhitespace(text, keyEnd) + 1;
    const valueStart = skipWhitespace(text, i);
    i = skipValue(text, valueStart);
    if (key === 'id') source = text.slice(valueStart, i);
    i = skipWhitespace(text, i);
    if (text[i] !== ',') return source;
    i++;
  }
  return source;
}

const PLAIN_INTEGER = /^-?(?:0|[1-9]\d*)$/;
const SCIENTIFIC = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/;

/** The exact integer a JSON number's source text denotes, or undefined when it denotes none (or absurdly many digits). */
export function exactInteger(source: string): bigint | undefined {
  if (PLAIN_INTEGER.test(source)) return BigInt(source);
  const parts = SCIENTIFIC.exec(source);
  if (parts === null) return undefined;
  const [, sign, whole, fraction = '', exponent] = parts as unknown as [string, string, string, string, string];
  const shift = Number(exponent) - fraction.length;
  const digits = `${whole}${fraction}`;
  if (shift > 1000) return undefined;
  if (shift >= 0) return BigInt(`${sign}${digits}${'0'.repeat(shift)}`);
  const kept = digits.slice(0, shift);
  return /^0*$/.test(digits.slice(shift)) && kept !== '' ? BigInt(`${sign}${kept}`) : undefined;
}

function isUnsafeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

function restore(message: Record<string, unknown>, source: string | undefined): void {
  const exact = source === undefined ? undefined : exactInteger(source);
  // A number that only looked like an integer after rounding (1.0000000000000000001e20) is no integer id.
  message.id = exact ?? Number.NaN;
}

/** Replaces unsafe-integer ids in a parsed message (or batch) with their exact `bigint` values, in place. */
export function keepLargeIds(value: unknown, text: string): void {
  if (Array.isArray(value)) {
    if (!value.some((item) => isUnsafeInteger((item as { id?: unknown } | null)?.id))) return;
    let i = skipWhitespace(text, 0) + 1;
    for (const item of value) {
      i = skipWhitespace(text, i);
      const end = skipValue(text, i);
      if (isUnsafeInteger((item as { id?: unknown } | null)?.id)) restore(item, idSourceOfObject(text, i));
      i = skipWhitespace(text, end) + 1;
    }
    return;
  }
  if (isUnsafeInteger((value as { id?: unknown } | null)?.id)) {
    restore(value as Record<string, unknown>, idSourceOfObject(text, skipWhitespace(text, 0)));
  }
}
