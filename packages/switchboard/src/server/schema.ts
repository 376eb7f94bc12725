import { z } from 'zod';
import { RegistrationError } from '../protocol/errors.js';
import type { JsonSchema } from './json-schema.js';
import type { Validator } from './validators.js';
import { jsonSchemaValidator, zodValidator } from './validators.js';

export type { JsonSchema };

const JSON_SCHEMA = Symbol.for('switchboard.jsonSchema');

/** A JSON Schema document given as is; see `jsonSchema()`. */
export interface JsonSchemaInput<T = Record<string, unknown>> {
  readonly [JSON_SCHEMA]: true;
  readonly schema: JsonSchema;
  /** Phantom: the type arguments are validated into. */
  readonly _type?: T;
}

/**
 * Uses a JSON Schema document (2020-12) instead of zod. It is listed exactly as written (`$schema`, `$defs`,
 * composition keywords are preserved) and arguments are validated against it.
 */
export function jsonSchema<T = Record<string, unknown>>(schema: JsonSchema): JsonSchemaInput<T> {
  return { [JSON_SCHEMA]: true, schema };
}

function isJsonSchemaInput(value: unknown): value is JsonSchemaInput {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[JSON_SCHEMA] === true;
}

/** A zod object, the plain shape `{ field: z.string() }` FastMCP-style APIs accept, or a `jsonSchema()`. */
export type ObjectInput = z.ZodObject | z.ZodRawShape | JsonSchemaInput<unknown>;

export type InferObject<T extends ObjectInput | undefined> = T extends z.ZodObject
  ? z.output<T>
  : T extends JsonSchemaInput<infer U>
    ? U
    : T extends z.ZodRawShape
      ? z.output<z.ZodObject<T>>
      : Record<string, never>;

/** A schema ready for use: the validator, and the JSON Schema document clients see. */
export interface CompiledSchema {
  validator: Validator;
  json: JsonSchema;
}

/** Duck-typed so schemas built by another copy of zod (a dependency's) are accepted too. */
function zodKind(value: unknown): string | undefined {
  const internals = (value as { _zod?: { def?: { type?: unknown } } } | null)?._zod;
  return typeof internals?.def?.type === 'string' ? internals.def.type : undefined;
}

export function toObjectSchema(
  input: Exclude<ObjectInput, JsonSchemaInput<unknown>> | undefined,
  what = 'schema',
): z.ZodObject {
  if (input === undefined) return z.object({});
  const kind = zodKind(input);
  if (kind === 'object') return input as z.ZodObject;
  if (kind !== undefined || typeof input !== 'object' || input === null) {
    const got = kind === undefined ? typeof input : `z.${kind}()`;
    throw new RegistrationError(`${what} must be a z.object(), a shape of zod fields, or jsonSchema(); got ${got}`);
  }
  for (const [field, schema] of Object.entries(input)) {
    if (zodKind(schema) === undefined) throw new RegistrationError(`${what}: field "${field}" is not a zod schema`);
  }
  return z.object(input as z.ZodRawShape);
}

/**
 * Compiles an object schema once, at registration. For zod schemas the generated `$schema` keyword is dropped:
 * 2020-12 is the protocol's default dialect (2026-07-28 basic/index §Schema Dialect).
 */
export function compileObjectSchema(
  input: ObjectInput | undefined,
  io: 'input' | 'output',
  what: string,
): CompiledSchema {
  if (isJsonSchemaInput(input)) {
    if (input.schema.type !== 'object') throw new RegistrationError(`${what} must describe an object`);
    return { validator: jsonSchemaValidator(input.schema, what, io), json: input.schema };
  }
  const schema = toObjectSchema(input as Exclude<ObjectInput, JsonSchemaInput<unknown>> | undefined, what);
  return { validator: zodValidator(schema, io), json: toJsonSchema(schema, io, what) };
}

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', what: string): JsonSchema {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io, unrepresentable: 'throw' }) as JsonSchema;
  } catch (error) {
    throw new RegistrationError(`${what} cannot be expressed as JSON Schema: ${(error as Error).message}`);
  }
  delete json.$schema;
  if (json.type !== 'object') throw new RegistrationError(`${what} must describe an object`);
  return json;
}
