import type { Params } from '../../protocol/messages.js';
import { UsageError } from '../errors.js';

type Schema = Record<string, unknown>;

/** The properties an input schema declares, and the required ones. */
export function schemaProperties(schema: unknown): { properties: Record<string, Schema>; required: string[] } {
  const node = (typeof schema === 'object' && schema !== null ? schema : {}) as Schema;
  const properties = (typeof node.properties === 'object' && node.properties !== null ? node.properties : {}) as Record<
    string,
    Schema
  >;
  const required = Array.isArray(node.required) ? node.required.map(String) : [];
  return { properties, required };
}

/** The JSON types a property allows (`type` as a string or a list; none when unconstrained). */
function typesOf(property: Schema | undefined): string[] {
  if (property === undefined) return [];
  if (typeof property.type === 'string') return [property.type];
  if (Array.isArray(property.type)) return property.type.map(String);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = property[key];
    if (Array.isArray(options)) return options.flatMap((option) => typesOf(option as Schema));
  }
  if (Array.isArray(property.enum)) return [...new Set(property.enum.map((value) => typeof value))];
  return [];
}

/**
 * A command-line text as the value a property wants: a number for `number`/`integer`, true/false for `boolean`,
 * JSON for objects and arrays (or a comma-separated list), the text itself for a string. An unconstrained
 * property takes JSON when the text is JSON, else the text.
 */
export function coerceValue(key: string, text: string, property: Schema | undefined): unknown {
  const types = typesOf(property);
  const fail = (expected: string) => new UsageError(`${key}=${text}: expected ${expected}`);
  if (types.length === 0 || (types.length > 1 && !types.includes('string'))) return jsonOr(text, text);
  if (types.includes('string')) return text;
  if (types.includes('null') && text === 'null') return null;
  if (types.includes('integer') || types.includes('number')) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw fail('a number');
    if (!types.includes('number') && !Number.isInteger(value)) throw fail('a whole number');
    return value;
  }
  if (types.includes('boolean')) {
    if (/^(true|yes|1)$/i.test(text)) return true;
    if (/^(false|no|0)$/i.test(text)) return false;
    throw fail('true or false');
  }
  if (types.includes('array')) {
    if (text.trim().startsWith('[')) return jsonOr(text, fail('a JSON array'));
    const items = property?.items as Schema | undefined;
    return text === '' ? [] : text.split(',').map((item) => coerceValue(key, item.trim(), items));
  }
  if (types.includes('object')) {
    const value = jsonOr(text, undefined);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('a JSON object');
    return value;
  }
  return jsonOr(text, text);
}

function jsonOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (fallback instanceof Error) throw fallback;
    return fallback;
  }
}

/**
 * Arguments from `--json '{…}'` and `key=value` operands (which win), each value typed by the input schema.
 * A key the schema does not know is refused when the schema allows no others.
 */
export function parseToolArguments(pairs: readonly string[], json: string | undefined, inputSchema: unknown): Params {
  const { properties } = schemaProperties(inputSchema);
  const closed = (inputSchema as Schema | undefined)?.additionalProperties === false;
  let args: Params = {};
  if (json !== undefined) {
    const value = jsonOr(json, new UsageError(`--json: not valid JSON: ${json}`));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError('--json: expected a JSON object of arguments');
    }
    args = { ...(value as Params) };
  }
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`"${pair}" is not key=value`);
    const key = pair.slice(0, equals);
    const property = properties[key];
    if (property === undefined && closed) {
      const known = Object.keys(properties);
      throw new UsageError(`no argument named "${key}" (this one takes: ${known.join(', ') || 'no arguments'})`);
    }
    args[key] = coerceValue(key, pair.slice(equals + 1), property);
  }
  return args;
}
