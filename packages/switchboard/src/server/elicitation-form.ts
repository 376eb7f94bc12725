import { RegistrationError } from '../protocol/errors.js';
import type { CompiledSchema, JsonSchema, ObjectInput } from './schema.js';
import { compileObjectSchema } from './schema.js';

const compiled = new WeakMap<object, CompiledSchema>();

/**
 * Compiles an elicitation form once per form object. Forms are flat: 2025-11-25 client/elicitation §Requested
 * Schema allows only primitive fields (string, number, integer, boolean) and enums, single or multi-select.
 */
export function compileElicitationForm(form: ObjectInput): CompiledSchema {
  let schema = compiled.get(form);
  if (schema === undefined) {
    schema = compileObjectSchema(form, 'input', 'elicitation form');
    const properties = (schema.json.properties ?? {}) as Record<string, JsonSchema>;
    for (const [field, property] of Object.entries(properties)) {
      if (!isFlatField(property)) {
        throw new RegistrationError(
          `Elicitation form field "${field}" is not a primitive: forms may hold only string, number, integer, ` +
            'boolean and enum fields (or an array of enum values for multi-select)',
        );
      }
    }
    compiled.set(form, schema);
  }
  return schema;
}

const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean']);

function isFlatField(property: JsonSchema): boolean {
  if (typeof property.type === 'string' && PRIMITIVES.has(property.type)) return true;
  if (property.enum !== undefined || property.oneOf !== undefined || property.anyOf !== undefined) return true;
  if (property.type !== 'array') return false;
  const items = property.items as JsonSchema | undefined;
  return items !== undefined && (items.enum !== undefined || items.anyOf !== undefined || items.oneOf !== undefined);
}
