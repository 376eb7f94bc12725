import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { z } from 'zod';
import { RegistrationError } from '../protocol/errors.js';
import type { ArgumentProblem } from './argument-errors.js';
import { describeIssues, describeValue } from './argument-errors.js';
import type { JsonSchema } from './schema.js';

export type Validation = { ok: true; value: unknown } | { ok: false; problems: ArgumentProblem[] };

/** Checks a value against a schema compiled once at registration. */
export interface Validator {
  validate(value: unknown): Validation;
}

export function zodValidator(schema: z.ZodType): Validator {
  return {
    validate(value) {
      const parsed = schema.safeParse(value, { reportInput: true });
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, problems: describeIssues(parsed.error.issues) };
    },
  };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;
let draft2020: Ajv2020 | undefined;
let draft7: Ajv | undefined;

/**
 * The validator for a JSON Schema document. 2020-12 is the default dialect; draft-07 (and older drafts Ajv
 * understands) is honoured when `$schema` names it; any other dialect is refused at registration
 * (2026-07-28 basic/index §Implementation Requirements: handle unsupported dialects with a clear error).
 */
function compilerFor(schema: JsonSchema, what: string): Ajv | Ajv2020 {
  const dialect = schema.$schema;
  if (dialect === undefined || (typeof dialect === 'string' && dialect.includes('2020-12'))) {
    if (draft2020 === undefined) {
      draft2020 = new Ajv2020({ allErrors: true, strict: false });
      addFormats(draft2020);
    }
    return draft2020;
  }
  if (typeof dialect === 'string' && /draft-0[4-7]/.test(dialect)) {
    if (draft7 === undefined) {
      draft7 = new Ajv({ allErrors: true, strict: false });
      addFormats(draft7);
    }
    return draft7;
  }
  throw new RegistrationError(
    `${what}: JSON Schema dialect ${String(dialect)} is not supported (use 2020-12 or draft-07)`,
  );
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function describeAjvError(error: ErrorObject, root: unknown): ArgumentProblem {
  const path = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: [...path, missing].join('.'), expected: 'a value (required)', received: describeValue(undefined) };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return {
      field: [...path, extra].join('.'),
      expected: 'no such property',
      received: describeValue(valueAt(root, `${error.instancePath}/${extra}`)),
    };
  }
  return {
    field: path.join('.') || '(arguments)',
    expected: (error.message ?? 'a valid value').replace(/^must (be )?/, ''),
    received: describeValue(valueAt(root, error.instancePath)),
  };
}

export function jsonSchemaValidator(schema: JsonSchema, what: string): Validator {
  let validate: ValidateFunction;
  try {
    validate = compilerFor(schema, what).compile(schema);
  } catch (error) {
    if (error instanceof RegistrationError) throw error;
    throw new RegistrationError(`${what} is not a valid JSON Schema: ${(error as Error).message}`);
  }
  return {
    validate(value) {
      if (validate(value)) return { ok: true, value };
      const problems = (validate.errors ?? []).filter(
        (e) => !['if', 'anyOf', 'oneOf', 'allOf'].includes(e.keyword) || validate.errors?.length === 1,
      );
      return { ok: false, problems: problems.map((e) => describeAjvError(e, value)) };
    },
  };
}
