import type { ValueKind } from './column-types.js';

/** Turns one argument into the text PostgreSQL reads for a parameter of that kind (null stays SQL NULL). */
export type ParamSerializer = (value: unknown) => string | null;

const scalar: ParamSerializer = (value) => {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value instanceof Date ? value.toISOString() : JSON.stringify(value);
  }
};

const json: ParamSerializer = (value) => (value === null || value === undefined ? null : JSON.stringify(value));

/** A JavaScript array as an array literal: `{"a","b \"c\"",NULL}`, nested arrays as nested braces. */
const array: ParamSerializer = (value) => {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) return scalar(value);
  const element = (item: unknown): string => {
    if (Array.isArray(item)) return `{${item.map(element).join(',')}}`;
    const text = scalar(item);
    return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  };
  return `{${value.map(element).join(',')}}`;
};

/** The serializer for a parameter whose SQL type has that kind, chosen once at registration. */
export function serializerFor(kind: ValueKind): ParamSerializer {
  if (kind === 'json') return json;
  if (kind === 'array') return array;
  return scalar;
}
