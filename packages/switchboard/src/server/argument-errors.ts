import type { z } from 'zod';

/** One argument that failed validation, in terms a model can act on. */
export interface ArgumentProblem {
  field: string;
  expected: string;
  received: string;
}

/** What a validator found wrong, before the path becomes a field name. */
export interface Finding {
  path: readonly PropertyKey[];
  expected: string;
  value: unknown;
}

/** The field name of a problem at the root of the value: the arguments, or a tool's result. */
export type RootLabel = '(arguments)' | '(result)';

export function toProblem(finding: Finding, root: RootLabel): ArgumentProblem {
  return {
    field: finding.path.length === 0 ? root : finding.path.map(String).join('.'),
    expected: finding.expected,
    received: describeValue(finding.value),
  };
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `bigint ${value}`;
  const type = Array.isArray(value) ? 'array' : value instanceof Date ? 'date' : typeof value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return type;
  }
  if (json === undefined) return type;
  return `${type} ${json.length > 60 ? `${json.slice(0, 57)}...` : json}`;
}

export type Comparison = '>=' | '>' | '<=' | '<' | '=';

const COUNT_WORDS: Record<Comparison, string> = {
  '>=': 'at least',
  '>': 'more than',
  '<=': 'at most',
  '<': 'fewer than',
  '=': 'exactly',
};
const DATE_WORDS: Record<Comparison, string> = {
  '>=': 'on or after',
  '>': 'after',
  '<=': 'on or before',
  '<': 'before',
  '=': 'exactly at',
};
/** Kinds whose bound is a count: what the value is, then the unit in singular and plural. */
const COUNTED: Record<string, [string, string, string]> = {
  string: ['a string of', 'character', 'characters'],
  array: ['an array of', 'item', 'items'],
  set: ['a set of', 'item', 'items'],
  map: ['a map of', 'entry', 'entries'],
  file: ['a file of', 'byte', 'bytes'],
  object: ['an object with', 'property', 'properties'],
};
const NUMERIC: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  integer: 'an integer',
  bigint: 'a bigint',
};

/** "a string of at least 3 characters", "a number > 0", "a date before 2030-01-01T00:00:00.000Z". */
export function describeBound(kind: string, comparison: Comparison, limit: number | bigint): string {
  const counted = COUNTED[kind];
  if (counted !== undefined) {
    return `${counted[0]} ${COUNT_WORDS[comparison]} ${limit} ${Number(limit) === 1 ? counted[1] : counted[2]}`;
  }
  if (kind === 'date') return `a date ${DATE_WORDS[comparison]} ${new Date(Number(limit)).toISOString()}`;
  return `${NUMERIC[kind] ?? kind} ${comparison} ${limit}`;
}

function literal(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
}

// Enough for a model to pick from, few enough that one line stays a line (the schema it was given lists them all).
const MAX_LISTED = 20;

function listValues(shown: readonly string[]): string {
  const more = shown.length > MAX_LISTED ? ` (and ${shown.length - MAX_LISTED} more)` : '';
  return `one of ${shown.slice(0, MAX_LISTED).join(', ')}${more}`;
}

/** `exactly "on"` for one value, `one of "x", "y"` for several (a long list is cut short). */
export function describeAllowed(values: readonly unknown[]): string {
  return values.length === 1 ? `exactly ${literal(values[0])}` : listValues(values.map(literal));
}

const MAX_ALTERNATIVES = 4;

/**
 * "string or number"; alternatives that are single values merge into one list (`one of "a", "b" or number`), and
 * a long union is cut short so that its line stays readable.
 */
export function describeAlternatives(alternatives: readonly string[]): string {
  const unique = [...new Set(alternatives)];
  const values = unique.filter((a) => a.startsWith('exactly ')).map((a) => a.slice('exactly '.length));
  const merged = values.length < 2 ? unique : [listValues(values), ...unique.filter((a) => !a.startsWith('exactly '))];
  // Eliding a single alternative would save nothing.
  if (merged.length <= MAX_ALTERNATIVES + 1) return merged.join(' or ');
  const rest = merged.length - MAX_ALTERNATIVES;
  return `${merged.slice(0, MAX_ALTERNATIVES).join(' or ')} or one of ${rest} other alternatives`;
}

/**
 * One alternative of a union, from what it found wrong (paths relative to the union's value): what the value
 * itself must be when that failed, otherwise the fields that differ ("an object with k: exactly "x"").
 */
export function describeAlternative(findings: readonly Finding[], value: unknown): string {
  const own = findings.filter((f) => f.path.length === 0);
  if (own.length > 0) return own.map((f) => f.expected).join(' and ');
  const fields = findings.map((f) => `${f.path.map(String).join('.')}: ${f.expected}`).join(' and ');
  return `${Array.isArray(value) ? 'an array' : 'an object'} with ${fields}`;
}

/** For a union that must match exactly one alternative (zod `xor`, JSON Schema `oneOf`) but matched several. */
export function describeExactlyOne(matches: number): string {
  return `a value that matches exactly one alternative (this one matches ${matches})`;
}

export const NO_SUCH_PROPERTY = 'no such property';

/** A refinement's own message, phrased as an expectation. */
function describeCheck(message: string): string {
  return message === 'Invalid input' ? 'a value that passes a custom check' : `a value that satisfies: ${message}`;
}

function stringFormat(issue: z.core.$ZodIssueInvalidStringFormat): string {
  const details = issue as z.core.$ZodStringFormatIssues;
  switch (details.format) {
    case 'regex':
      return `a string matching ${details.pattern}`;
    case 'starts_with':
      return `a string starting with ${literal(details.prefix)}`;
    case 'ends_with':
      return `a string ending with ${literal(details.suffix)}`;
    case 'includes':
      return `a string containing ${literal(details.includes)}`;
    default:
      return `a string in ${issue.format} format`;
  }
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'integer' : issue.expected;
    case 'invalid_value':
      return describeAllowed(issue.values);
    case 'too_small':
      return describeBound(issue.origin, issue.exact ? '=' : issue.inclusive === false ? '>' : '>=', issue.minimum);
    case 'too_big':
      return describeBound(issue.origin, issue.exact ? '=' : issue.inclusive === false ? '<' : '<=', issue.maximum);
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_format':
      return stringFormat(issue);
    case 'invalid_union':
      if ('matches' in issue) return describeExactlyOne(issue.matches.length);
      if (issue.errors.length === 0) return issue.message;
      return describeAlternatives(
        issue.errors.map((found) => describeAlternative(found.flatMap(findings), issue.input)),
      );
    case 'invalid_key':
      return `a key that is ${issue.issues.map(expectation).join(' and ')}`;
    case 'invalid_element':
      return `an element that is ${issue.issues.map(expectation).join(' and ')}`;
    case 'custom':
      return describeCheck(issue.message);
    default:
      return issue.message;
  }
}

function findings(issue: z.core.$ZodIssue): Finding[] {
  if (issue.code === 'unrecognized_keys') {
    const input = issue.input;
    return issue.keys.map((key) => ({ path: [...issue.path, key], expected: NO_SUCH_PROPERTY, value: input?.[key] }));
  }
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined && !('matches' in issue)) {
    // Point at the discriminator itself: its value is what picks (or fails to pick) an alternative.
    const key = issue.discriminator;
    const input = issue.input;
    return [
      {
        path: issue.path.at(-1) === key ? issue.path : [...issue.path, key],
        expected: issue.options === undefined ? issue.message : describeAllowed(issue.options),
        value: typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : input,
      },
    ];
  }
  return [{ path: issue.path, expected: expectation(issue), value: issue.input }];
}

/** Turns zod issues (parsed with `reportInput: true`) into field/expected/received triples. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  root: RootLabel = '(arguments)',
): ArgumentProblem[] {
  return issues.flatMap(findings).map((finding) => toProblem(finding, root));
}

/** The message an `isError` tool result carries when arguments fail the input schema. */
export function formatArgumentProblems(toolName: string, problems: readonly ArgumentProblem[]): string {
  const lines = problems.map((p) => `- ${p.field}: expected ${p.expected}, received ${p.received}`);
  return `Invalid arguments for tool "${toolName}":\n${lines.join('\n')}\nCorrect these arguments and call the tool again.`;
}
