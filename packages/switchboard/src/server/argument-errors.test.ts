import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { captureLogs, TestClient } from '../testing/index.js';
import { describeIssues, describeValue } from './argument-errors.js';
import type { ObjectInput } from './schema.js';
import { jsonSchema } from './schema.js';
import { Switchboard } from './switchboard.js';

/** The `- field: ...` lines of the isError result a call with bad arguments gets back. */
async function problemLines(input: ObjectInput, args: Record<string, unknown>): Promise<string[]> {
  const server = new Switchboard({ name: 'test', version: '1.0.0', logger: pino({ level: 'silent' }) });
  server.tool('check', { input }, () => 'ok');
  const result = await new TestClient(server).callTool('check', args);
  expect(result.isError).toBe(true);
  const message = (result.content[0] as { text: string }).text;
  expect(message).toMatch(
    /^Invalid arguments for tool "check":\n.*\nCorrect these arguments and call the tool again\.$/s,
  );
  return message.split('\n').filter((line) => line.startsWith('- '));
}

/** The problems zod reports for values no JSON call can carry (bigints, dates, sets, files). */
function zodLines(schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return [];
  return describeIssues(parsed.error.issues).map((p) => `- ${p.field}: expected ${p.expected}, received ${p.received}`);
}

describe('argument errors from zod schemas', () => {
  it('lists the alternatives of a union', async () => {
    const lines = await problemLines({ v: z.union([z.string(), z.number()]) }, { v: true });
    expect(lines).toEqual(['- v: expected string or number, received boolean true']);
  });

  it('describes a union of objects by the fields each alternative wants', async () => {
    const u = z.union([z.object({ k: z.literal('x') }), z.object({ k: z.literal('y'), n: z.number() })]);
    expect(await problemLines({ u }, { u: { k: 'z' } })).toEqual([
      '- u: expected an object with k: exactly "x" or an object with k: exactly "y" and n: number, received object {"k":"z"}',
    ]);
    expect(await problemLines({ u }, { u: 5 })).toEqual(['- u: expected object, received number 5']);
  });

  it('points at the discriminator of a discriminated union', async () => {
    const du = z.discriminatedUnion('k', [
      z.object({ k: z.literal('x'), x: z.number() }),
      z.object({ k: z.literal('y'), y: z.string() }),
    ]);
    expect(await problemLines({ du }, { du: { k: 'z' } })).toEqual([
      '- du.k: expected one of "x", "y", received string "z"',
    ]);
    expect(await problemLines({ du }, { du: {} })).toEqual([
      '- du.k: expected one of "x", "y", received nothing (the field is missing)',
    ]);
    expect(await problemLines({ du }, { du: { k: 'x', x: 'one' } })).toEqual([
      '- du.x: expected number, received string "one"',
    ]);
  });

  it('phrases a refinement as the condition the value must satisfy', async () => {
    const lines = await problemLines(
      { a: z.string().refine((s) => s.startsWith('a'), 'must start with a'), b: z.string().refine(() => false) },
      { a: 'b', b: 'c' },
    );
    expect(lines).toEqual([
      '- a: expected a value that satisfies: must start with a, received string "b"',
      '- b: expected a value that passes a custom check, received string "c"',
    ]);
  });

  it('quotes string patterns and names string formats', async () => {
    const lines = await problemLines(
      {
        r: z.string().regex(/^[a-z]+$/),
        s: z.string().startsWith('ab'),
        e: z.string().endsWith('z'),
        i: z.string().includes('q'),
        m: z.email(),
      },
      { r: 'A1', s: 'x', e: 'x', i: 'x', m: 'nope' },
    );
    expect(lines).toEqual([
      '- r: expected a string matching /^[a-z]+$/, received string "A1"',
      '- s: expected a string starting with "ab", received string "x"',
      '- e: expected a string ending with "z", received string "x"',
      '- i: expected a string containing "q", received string "x"',
      '- m: expected a string in email format, received string "nope"',
    ]);
  });

  it('states sizes and bounds in words', async () => {
    const lines = await problemLines(
      {
        s: z.string().min(3),
        l: z.string().length(2),
        t: z.string().max(1),
        a: z.array(z.number()).min(2),
        b: z.array(z.number()).max(1),
        n: z.number().min(1),
        p: z.number().positive(),
        x: z.number().max(10),
        y: z.number().lt(10),
        m: z.number().multipleOf(5),
      },
      { s: 'a', l: 'abc', t: 'ab', a: [1], b: [1, 2], n: 0, p: 0, x: 11, y: 10, m: 7 },
    );
    expect(lines).toEqual([
      '- s: expected a string of at least 3 characters, received string "a"',
      '- l: expected a string of exactly 2 characters, received string "abc"',
      '- t: expected a string of at most 1 character, received string "ab"',
      '- a: expected an array of at least 2 items, received array [1]',
      '- b: expected an array of at most 1 item, received array [1,2]',
      '- n: expected a number >= 1, received number 0',
      '- p: expected a number > 0, received number 0',
      '- x: expected a number <= 10, received number 11',
      '- y: expected a number < 10, received number 10',
      '- m: expected a multiple of 5, received number 7',
    ]);
  });

  it('bounds sets, files, bigints and dates sensibly', () => {
    const schema = z.object({
      set: z.set(z.string()).min(2),
      file: z.file().max(1),
      big: z.bigint().min(3n),
      date: z.date().min(new Date('2020-01-01T00:00:00.000Z')),
    });
    const value = { set: new Set(['a']), file: new File(['ab'], 'a.txt'), big: 1n, date: new Date(0) };
    expect(zodLines(schema, value)).toEqual([
      '- set: expected a set of at least 2 items, received object {}',
      '- file: expected a file of at most 1 byte, received object {}',
      '- big: expected a bigint >= 3, received bigint 1',
      '- date: expected a date on or after 2020-01-01T00:00:00.000Z, received date "1970-01-01T00:00:00.000Z"',
    ]);
  });

  it('says a missing field is missing, and names allowed values', async () => {
    const lines = await problemLines(
      { a: z.number(), lit: z.literal('on'), e: z.enum(['brief', 'detailed']), i: z.number().int() },
      { lit: 'off', e: 'long', i: 1.5 },
    );
    expect(lines).toEqual([
      '- a: expected number, received nothing (the field is missing)',
      '- lit: expected exactly "on", received string "off"',
      '- e: expected one of "brief", "detailed", received string "long"',
      '- i: expected integer, received number 1.5',
    ]);
  });

  it('names each property a strict object does not allow', async () => {
    const lines = await problemLines({ s: z.strictObject({ a: z.number() }) }, { s: { a: 1, b: 2, c: 'x' } });
    expect(lines).toEqual([
      '- s.b: expected no such property, received number 2',
      '- s.c: expected no such property, received string "x"',
    ]);
  });

  it('describes bad record keys and ambiguous exclusive unions', () => {
    expect(zodLines(z.object({ r: z.record(z.string().min(2), z.number()) }), { r: { a: 1 } })).toEqual([
      '- r.a: expected a key that is a string of at least 2 characters, received string "a"',
    ]);
    expect(zodLines(z.object({ x: z.xor([z.string(), z.string().min(1)]) }), { x: 'ab' })).toEqual([
      '- x: expected a value that matches exactly one alternative (this one matches 2), received string "ab"',
    ]);
  });

  it('merges single-value alternatives and keeps long unions and received values short', async () => {
    const letters = z.union([z.literal('a'), z.literal('b'), z.literal('c'), z.number()]);
    const many = z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.array(z.string()),
      z.null(),
      z.object({ a: z.string() }),
      z.literal(7),
    ]);
    expect(await problemLines({ letters, many }, { letters: 'x'.repeat(100), many: {} })).toEqual([
      `- letters: expected one of "a", "b", "c" or number, received string "${'x'.repeat(56)}...`,
      '- many: expected string or number or boolean or array or one of 3 other alternatives, received object {}',
    ]);
    expect(describeValue(2n ** 70n)).toBe('bigint 1180591620717411303424');
  });
});

describe('argument errors from JSON Schema inputs', () => {
  it('lists the allowed values of an enum and the value of a const', async () => {
    const input = jsonSchema({
      type: 'object',
      properties: { e: { enum: ['x', 'y'] }, c: { const: 'on' } },
    });
    expect(await problemLines(input, { e: 'z', c: 'off' })).toEqual([
      '- e: expected one of "x", "y", received string "z"',
      '- c: expected exactly "on", received string "off"',
    ]);
  });

  it('collapses the alternatives of anyOf and oneOf into one line per field', async () => {
    const input = jsonSchema({
      type: 'object',
      $defs: { Num: { type: 'number' } },
      properties: {
        u: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        r: { oneOf: [{ type: 'string', minLength: 3 }, { $ref: '#/$defs/Num' }] },
        n: { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'boolean' }] }, { type: 'number' }] },
        o: {
          oneOf: [
            { type: 'object', properties: { k: { const: 'x' } }, required: ['k'] },
            { type: 'object', properties: { k: { const: 'y' }, n: { type: 'number' } }, required: ['k', 'n'] },
          ],
        },
        both: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
        mode: { oneOf: [{ const: 'fast', title: 'Fast' }, { const: 'slow' }, { type: 'integer' }] },
      },
    });
    expect(await problemLines(input, { u: true, r: 'a', n: null, o: { k: 'z' }, both: 1, mode: 'z' })).toEqual([
      '- u: expected string or number, received boolean true',
      '- r: expected a string of at least 3 characters or number, received string "a"',
      '- n: expected string or boolean or number, received null',
      '- o: expected an object with k: exactly "x" or an object with n: number and k: exactly "y", received object {"k":"z"}',
      '- both: expected a value that matches exactly one alternative (this one matches 2), received number 1',
      '- mode: expected one of "fast", "slow" or integer, received string "z"',
    ]);
  });

  it('names a missing property by its path and says what it should be', async () => {
    const input = jsonSchema({
      type: 'object',
      properties: { a: { type: 'object', properties: { b: { type: 'integer' } }, required: ['b', 'c'] } },
      required: ['a'],
    });
    expect(await problemLines(input, { a: {} })).toEqual([
      '- a.b: expected integer, received nothing (the field is missing)',
      '- a.c: expected a value, received nothing (the field is missing)',
    ]);
    expect(await problemLines(input, {})).toEqual(['- a: expected object, received nothing (the field is missing)']);
  });

  it('names each extra property', async () => {
    const input = jsonSchema({ type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false });
    expect(await problemLines(input, { a: 1, extra: 5 })).toEqual([
      '- extra: expected no such property, received number 5',
    ]);
  });

  it('states types, sizes, bounds, patterns and formats as zod errors do', async () => {
    const input = jsonSchema({
      type: 'object',
      properties: {
        t: { type: ['string', 'null'] },
        s: { type: 'string', minLength: 3 },
        a: { type: 'array', minItems: 2 },
        i: { type: 'integer', minimum: 1 },
        x: { type: 'number', maximum: 10 },
        p: { type: 'number', exclusiveMinimum: 0 },
        m: { type: 'number', multipleOf: 5 },
        r: { type: 'string', pattern: '^[a-z]+$' },
        f: { type: 'string', format: 'email' },
      },
    });
    const args = { t: 1, s: 'a', a: [1], i: 0, x: 11, p: 0, m: 7, r: 'A1', f: 'nope' };
    expect(await problemLines(input, args)).toEqual([
      '- t: expected string or null, received number 1',
      '- s: expected a string of at least 3 characters, received string "a"',
      '- a: expected an array of at least 2 items, received array [1]',
      '- i: expected an integer >= 1, received number 0',
      '- x: expected a number <= 10, received number 11',
      '- p: expected a number > 0, received number 0',
      '- m: expected a multiple of 5, received number 7',
      '- r: expected a string matching /^[a-z]+$/, received string "A1"',
      '- f: expected a string in email format, received string "nope"',
    ]);
  });

  it('labels a problem with the arguments as a whole "(arguments)"', async () => {
    const input = jsonSchema({ type: 'object', minProperties: 1 });
    expect(await problemLines(input, {})).toEqual([
      '- (arguments): expected an object with at least 1 property, received object {}',
    ]);
  });
});

describe('output schema mismatches', () => {
  function capturingServer() {
    const { logger, lines } = captureLogs();
    const server = new Switchboard({ name: 'test', version: '1.0.0', logger });
    const messages = () => lines.flatMap((line) => (line.err?.message === undefined ? [] : [line.err.message]));
    return { server, messages };
  }

  it.each([
    ['zod', { count: z.number() }],
    ['JSON Schema', jsonSchema({ type: 'object', properties: { count: { type: 'number' } } })],
  ] as const)('labels the root of a %s result "(result)"', async (_kind, output: ObjectInput) => {
    const { server, messages } = capturingServer();
    server.tool('broken', { output }, () => 'many' as never);
    const result = await new TestClient(server).callTool('broken');
    expect(result.isError).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages()).toContain(
      'Tool "broken" returned a result that does not match its output schema: (result): expected object, received string "many"',
    );
  });
});
