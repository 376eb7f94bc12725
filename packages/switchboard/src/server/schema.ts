import { z } from 'zod';
import { RegistrationError } from '../protocol/errors.js';

/** A zod object, or the plain shape `{ field: z.string() }` that FastMCP-style APIs accept. */
export type ObjectInput = z.ZodObject | z.ZodRawShape;

export type InferObject<T extends ObjectInput | undefined> = T extends z.ZodObject
  ? z.output<T>
  : T extends z.ZodRawShape
    ? z.output<z.ZodObject<T>>
    : Record<string, never>;

export type JsonSchema = Record<string, unknown>;

export function toObjectSchema(input: ObjectInput | undefined): z.ZodObject {
  if (input === undefined) return z.object({});
  if (input instanceof z.ZodObject) return input;
  return z.object(input);
}

/**
 * JSON Schema for a zod schema, computed once at registration. The `$schema` keyword is dropped: 2020-12 is
 * the protocol's default dialect (2026-07-28 basic/index §Schema Dialect) and some clients' validators reject it.
 */
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
