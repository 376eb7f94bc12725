import fc from 'fast-check';

/**
 * Generators for hostile variants of valid requests: values of every JSON type and then some (prototype keys,
 * lone surrogates, deep nesting, long strings, unsafe integers), put anywhere in a valid message; text-level damage
 * (invalid UTF-8); and header damage (dropped, changed, repeated, conflicting).
 */

/** Stands for `depth` nested arrays; swapped in as text, since JSON.stringify of a very deep value would overflow. */
const DEEP = '\u0000deep:';
/** Stands for an integer past 2^53 written as digits. */
const HUGE = '\u0000huge:';

const loneSurrogates = fc
  .array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 4 })
  .map((units) => `a${String.fromCharCode(...units)}b`);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      { toString: 1 },
      { valueOf: {}, toString: {} },
      { toJSON: 1 },
      ['__proto__'],
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      null,
      true,
      -1,
      1.5,
      1e308,
      -0,
    ),
  },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 3000 }).map((depth) => `${DEEP}${depth}`) },
  { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map((n) => `${HUGE}${n}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

export const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'name', 'uri', 'id', '_meta'),
  fc.string({ maxLength: 8 }),
);

type Json = Record<string, unknown> | unknown[];

/** Every path to a value inside `value` (the root included), so a mutation can land anywhere. */
function pathsOf(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) pathsOf(value[i], [...prefix, i], out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

function setOwn(target: Json, key: string | number, value: unknown): void {
  // defineProperty, so `__proto__` becomes an own key (as JSON.parse makes it) rather than a new prototype.
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

export type Mutation =
  | { kind: 'replace'; path: number; value: unknown }
  | { kind: 'add'; path: number; key: string; value: unknown }
  | { kind: 'method'; value: string }
  | { kind: 'drop'; path: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), path: fc.nat(), value: hostileValue }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('add' as const), path: fc.nat(), key: hostileKey, value: hostileValue }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('method' as const),
      value: fc.oneof(
        fc.constantFrom('toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'tools/', 'initialize'),
        fc.string({ maxLength: 12 }),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), path: fc.nat() }) },
);

/** Applies mutations to a deep copy of `message` and writes it as JSON text (deep and huge stand-ins expanded). */
export function mutate(message: Record<string, unknown>, mutations: readonly Mutation[]): string {
  let root: unknown = structuredClone(message);
  // Each inserted value is a copy: generated values may be shared, and a later mutation must not change (or loop) them.
  for (const given of mutations) {
    const m =
      'value' in given && typeof given.value === 'object' ? { ...given, value: structuredClone(given.value) } : given;
    if (m.kind === 'method') {
      if (typeof root === 'object' && root !== null) setOwn(root as Json, 'method', m.value);
      continue;
    }
    const paths = pathsOf(root);
    const path = paths[m.path % paths.length] as (string | number)[];
    if (path.length === 0) {
      if (m.kind === 'replace') root = m.value;
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Json)[key as never], root) as Json;
    const last = path[path.length - 1] as string | number;
    if (m.kind === 'replace') setOwn(parent, last, m.value);
    else if (m.kind === 'drop') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete (parent as Record<string, unknown>)[last];
    } else {
      const node = (parent as Record<string, unknown>)[last as never];
      if (typeof node === 'object' && node !== null && !Array.isArray(node)) setOwn(node as Json, m.key, m.value);
      else setOwn(parent, last, { [m.key]: m.value });
    }
  }
  return expand(JSON.stringify(root) ?? 'null');
}

function expand(text: string): string {
  return text
    .replace(
      /"\\u0000deep:(\d+)"/g,
      (_all, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`,
    )
    .replace(/"\\u0000huge:(\d+)"/g, '$1');
}

/** Text damage: a byte that is not UTF-8 at some point of the body, or the body cut short. */
export type ByteDamage = { kind: 'none' } | { kind: 'byte'; at: number; byte: number } | { kind: 'cut'; at: number };

export const byteDamage: fc.Arbitrary<ByteDamage> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('byte' as const),
      at: fc.nat(),
      byte: fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff, 0xed),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
);

export function damage(text: string, d: ByteDamage): Buffer {
  const bytes = Buffer.from(text);
  if (d.kind === 'none' || bytes.length === 0) return bytes;
  const at = d.at % bytes.length;
  if (d.kind === 'cut') return bytes.subarray(0, at);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([d.byte]), bytes.subarray(at)]);
}

/** Header damage: drop one, change one, repeat one with another value, add a second Host. */
export type HeaderDamage =
  | { kind: 'none' }
  | { kind: 'drop'; index: number }
  | { kind: 'change'; index: number; value: string }
  | { kind: 'repeat'; index: number; value: string; before: boolean }
  | { kind: 'host'; value: string };

const headerValue = fc.oneof(
  fc.constantFrom(
    '2026-07-28',
    '2025-11-25',
    '1999-01-01',
    'tools/call',
    'add',
    '=?base64?YWRk?=',
    '=?base64?!!?=',
    '',
  ),
  fc.string({ maxLength: 10, unit: 'grapheme-ascii' }),
);

export const headerDamage: fc.Arbitrary<HeaderDamage> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change' as const), index: fc.nat(), value: headerValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      index: fc.nat(),
      value: headerValue,
      before: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('host' as const), value: fc.constantFrom('evil.example', 'localhost') }),
  },
);

export function damageHeaders(headers: [string, string][], d: HeaderDamage): [string, string][] {
  const out = headers.map(([n, v]) => [n, v] as [string, string]);
  if (d.kind === 'none' || out.length === 0) return out;
  if (d.kind === 'host') return [...out, ['host', d.value]];
  const index = d.index % out.length;
  const [name] = out[index] as [string, string];
  if (name === 'host' && d.kind !== 'repeat') return out;
  if (d.kind === 'drop') out.splice(index, 1);
  else if (d.kind === 'change') (out[index] as [string, string])[1] = d.value;
  else out.splice(d.before ? index : index + 1, 0, [name, d.value]);
  return out;
}
