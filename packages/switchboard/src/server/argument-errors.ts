import type { z } from 'zod';

/** One argument that failed validation, in terms a model can act on. */
export interface ArgumentProblem {
  field: string;
  expected: string;
  received: string;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  const type = Array.isArray(value) ? 'array' : typeof value;
  const json = JSON.stringify(value);
  const shown = json !== undefined && json.length > 60 ? `${json.slice(0, 57)}...` : json;
  return `${type} ${shown}`;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `${issue.origin} ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin} ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `a string in ${issue.format} format`;
    case 'unrecognized_keys':
      return `no properties named ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Turns zod issues (parsed with `reportInput: true`) into field/expected/received triples. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): ArgumentProblem[] {
  return issues.map((issue) => ({
    field: issue.path.length === 0 ? '(arguments)' : issue.path.map(String).join('.'),
    expected: expectation(issue),
    received: issue.code === 'unrecognized_keys' ? 'extra properties' : describeValue(issue.input),
  }));
}

/** The message an `isError` tool result carries when arguments fail the input schema. */
export function formatArgumentProblems(toolName: string, problems: readonly ArgumentProblem[]): string {
  const lines = problems.map((p) => `- ${p.field}: expected ${p.expected}, received ${p.received}`);
  return `Invalid arguments for tool "${toolName}":\n${lines.join('\n')}\nCorrect these arguments and call the tool again.`;
}
