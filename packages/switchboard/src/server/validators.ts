import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { z } from 'zod';
import { RegistrationError } from '../protocol/errors.js';
import type { ArgumentProblem, Comparison, Finding, RootLabel } from './argument-errors.js';
import {
  describeAllowed,
  describeAlternative,
  describeAlternatives,
  describeBound,
  describeExactlyOne,
  describeIssues,
  NO_SUCH_PROPERTY,
  toProblem,
} from './argument-errors.js';
import type { JsonSchema } from './json-schema.js';

export type Validation = { ok: true; value: unknown } | { ok: false; problems: ArgumentProblem[] };

/** Checks a value against a schema compiled once at registration. */
export interface Validator {
  validate(value: unknown): Validation;
}

function rootLabel(io: 'input' | 'output'): RootLabel {
  return io === 'input' ? '(arguments)' : '(result)';
}

/** zod parse options, shared by every call rather than made per call. */
const ZOD_OPTIONS = Object.freeze({ reportInput: true });

export function zodValidator(schema: z.ZodType, io: 'input' | 'output' = 'input'): Validator {
  const root = rootLabel(io);
  return {
    validate(value) {
      const parsed = schema.safeParse(value, ZOD_OPTIONS);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, problems: describeIssues(parsed.error.issues, root) };
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
 * `verbose` makes each error carry the failing value and schema, which the messages for a model quote.
 */
function compilerFor(schema: JsonSchema, what: string): Ajv | Ajv2020 {
  const dialect = schema.$schema;
  if (dialect === undefined || (typeof dialect === 'string' && dialect.includes('2020-12'))) {
    if (draft2020 === undefined) {
      draft2020 = new Ajv2020({ allErrors: true, strict: false, verbose: true });
      addFormats(draft2020);
    }
    return draft2020;
  }
  if (typeof dialect === 'string' && /draft-0[4-7]/.test(dialect)) {
    if (draft7 === undefined) {
      draft7 = new Ajv({ allErrors: true, strict: false, verbose: true });
      addFormats(draft7);
    }
    return draft7;
  }
  throw new RegistrationError(
    `${what}: JSON Schema dialect ${String(dialect)} is not supported (use 2020-12 or draft-07)`,
  );
}

function pathOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeTypes(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.join(' or ');
}

/** A one-phrase summary of a schema, for a field that is missing or an alternative with nothing else to say. */
function summarizeSchema(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'a value';
  const s = schema as JsonSchema;
  if ('const' in s) return describeAllowed([s.const]);
  if (Array.isArray(s.enum)) return describeAllowed(s.enum);
  return s.type === undefined ? 'a value' : describeTypes(s.type);
}

type Params = Record<string, unknown>;
const COMPARISON_OF: Record<string, Comparison> = {
  minLength: '>=',
  maxLength: '<=',
  minItems: '>=',
  maxItems: '<=',
  minProperties: '>=',
  maxProperties: '<=',
};
const COUNTED_KIND: Record<string, string> = {
  minLength: 'string',
  maxLength: 'string',
  minItems: 'array',
  maxItems: 'array',
  minProperties: 'object',
  maxProperties: 'object',
};

function expectation(error: ErrorObject): string {
  const params = error.params as Params;
  const parent = error.parentSchema as JsonSchema | undefined;
  switch (error.keyword) {
    case 'type':
      return describeTypes(params.type);
    case 'enum':
      return describeAllowed(params.allowedValues as unknown[]);
    case 'const':
      return describeAllowed([params.allowedValue]);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return describeBound(
        parent?.type === 'integer' ? 'integer' : 'number',
        params.comparison as Comparison,
        params.limit as number,
      );
    case 'multipleOf':
      return `a multiple of ${String(params.multipleOf)}`;
    case 'pattern':
      return `a string matching /${String(params.pattern)}/`;
    case 'format':
      return `a string in ${String(params.format)} format`;
    case 'uniqueItems':
      return `an array without duplicates (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case 'oneOf':
      return describeExactlyOne((params.passingSchemas as number[] | null)?.length ?? 0);
    case 'not':
      return 'a value that does not match the schema under "not"';
    case 'false schema':
      return 'no value here';
  }
  const kind = COUNTED_KIND[error.keyword];
  if (kind !== undefined) return describeBound(kind, COMPARISON_OF[error.keyword]!, params.limit as number);
  return (error.message ?? 'a valid value').replace(/^must (be )?/, '');
}

function finding(error: ErrorObject): Finding {
  const path = pathOf(error.instancePath);
  const params = error.params as Params;
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
    case 'dependencies': {
      const missing = String(params.missingProperty);
      const properties = (error.parentSchema as JsonSchema | undefined)?.properties as JsonSchema | undefined;
      const when = error.keyword === 'required' ? '' : ` (required when "${String(params.property)}" is present)`;
      return {
        path: [...path, missing],
        expected: `${summarizeSchema(properties?.[missing])}${when}`,
        value: undefined,
      };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(params.additionalProperty ?? params.unevaluatedProperty);
      return { path: [...path, extra], expected: NO_SUCH_PROPERTY, value: (error.data as Params | undefined)?.[extra] };
    }
    default:
      return { path, expected: expectation(error), value: error.data };
  }
}

function isFailedComposite(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || (error.keyword === 'oneOf' && (error.params as Params).passingSchemas == null);
}

/**
 * Sorts the errors an anyOf/oneOf collected into its alternatives: by schema path (`…/anyOf/1/…`), or, for an
 * alternative that is a `$ref`, by the path Ajv reports inside the referenced schema.
 */
function alternativesOf(composite: ErrorObject, candidates: readonly ErrorObject[]): ErrorObject[][] {
  const schemas = Array.isArray(composite.schema) ? (composite.schema as unknown[]) : [];
  const refs = schemas.map((s) => (s as JsonSchema | null)?.$ref);
  const base = `${composite.schemaPath}/`;
  const alternatives: ErrorObject[][] = schemas.map(() => []);
  for (const error of candidates) {
    const inside =
      error.instancePath === composite.instancePath || error.instancePath.startsWith(`${composite.instancePath}/`);
    if (!inside) continue;
    const index = error.schemaPath.startsWith(base)
      ? Number(error.schemaPath.slice(base.length).split('/')[0])
      : refs.findIndex((ref) => typeof ref === 'string' && error.schemaPath.startsWith(`${ref}/`));
    alternatives[index]?.push(error);
  }
  return alternatives;
}

function compositeFinding(composite: ErrorObject, alternatives: readonly ErrorObject[][]): Finding {
  const path = pathOf(composite.instancePath);
  const described = alternatives.map((reported, k) => {
    if (reported.length === 0) return summarizeSchema((composite.schema as unknown[])[k]);
    const relative = findingsOf(reported).map((f) => ({ ...f, path: f.path.slice(path.length) }));
    return describeAlternative(relative, composite.data);
  });
  const expected = described.length === 0 ? expectation(composite) : describeAlternatives(described);
  return { path, expected, value: composite.data };
}

/** One finding per error, except that a failed anyOf/oneOf and everything its alternatives reported make one. */
function findingsOf(errors: readonly ErrorObject[]): Finding[] {
  const claimed = new Set<ErrorObject>();
  const found: Finding[] = [];
  // Ajv reports a composite after the errors of its alternatives, so walking backwards lets it claim them first.
  for (let i = errors.length - 1; i >= 0; i--) {
    const error = errors[i]!;
    if (claimed.has(error) || error.keyword === 'if') continue;
    if (!isFailedComposite(error)) {
      found.unshift(finding(error));
      continue;
    }
    const alternatives = alternativesOf(
      error,
      errors.slice(0, i).filter((e) => !claimed.has(e)),
    );
    for (const e of alternatives.flat()) claimed.add(e);
    found.unshift(compositeFinding(error, alternatives));
  }
  return found;
}

export function jsonSchemaValidator(schema: JsonSchema, what: string, io: 'input' | 'output' = 'input'): Validator {
  const root = rootLabel(io);
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
      const problems = findingsOf(validate.errors ?? []).map((f) => toProblem(f, root));
      return { ok: false, problems };
    },
  };
}
