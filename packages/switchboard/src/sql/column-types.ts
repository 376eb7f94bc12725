import type { JsonSchema } from '../server/schema.js';
import { parseArrayLiteral } from './array-literal.js';

/** What an argument must be in JSON to fit a parameter of this SQL type. */
export type ValueKind = 'integer' | 'number' | 'boolean' | 'string' | 'json' | 'array';

/**
 * A PostgreSQL type as the gateway sees it: the JSON Schema of its values, and how its text form becomes that
 * value. The gateway parses every result column itself, the same way on PGlite and on PostgreSQL.
 */
export interface ColumnType {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly kind: ValueKind;
  readonly parse: (text: string) => unknown;
}

const same = (text: string): string => text;

/** int8 (counts, ids) as a number where it is exact, as text beyond 2^53: never a silently rounded value. */
const parseInt8 = (text: string): number | string => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};

/** `2024-01-02 03:04:05.123456+00` → `2024-01-02T03:04:05.123456+00:00`, keeping every digit PostgreSQL sent. */
const isoTimestamptz = (text: string): string => {
  const t = text.length > 10 && text[10] === ' ' ? `${text.slice(0, 10)}T${text.slice(11)}` : text;
  return /[+-]\d\d$/.test(t) ? `${t}:00` : t;
};
const isoTimestamp = (text: string): string =>
  text.length > 10 && text[10] === ' ' ? `${text.slice(0, 10)}T${text.slice(11)}` : text;

const string = (name: string, parse: (text: string) => unknown = same, extra: JsonSchema = {}): ColumnType => ({
  name,
  schema: { type: 'string', ...extra },
  kind: 'string',
  parse,
});

const SCALARS: Record<number, ColumnType> = {
  16: { name: 'boolean', schema: { type: 'boolean' }, kind: 'boolean', parse: (t) => t === 't' },
  20: { name: 'bigint', schema: { type: ['integer', 'string'] }, kind: 'integer', parse: parseInt8 },
  21: { name: 'smallint', schema: { type: 'integer' }, kind: 'integer', parse: Number },
  23: { name: 'integer', schema: { type: 'integer' }, kind: 'integer', parse: Number },
  26: { name: 'oid', schema: { type: 'integer' }, kind: 'integer', parse: Number },
  700: { name: 'real', schema: { type: 'number' }, kind: 'number', parse: Number },
  701: { name: 'double precision', schema: { type: 'number' }, kind: 'number', parse: Number },
  // numeric is exact: as text, so no digit is lost to a float.
  1700: { name: 'numeric', schema: { type: 'string' }, kind: 'number', parse: same },
  114: { name: 'json', schema: {}, kind: 'json', parse: (t) => JSON.parse(t) },
  3802: { name: 'jsonb', schema: {}, kind: 'json', parse: (t) => JSON.parse(t) },
  17: string('bytea'),
  18: string('char'),
  19: string('name'),
  25: string('text'),
  705: string('unknown'),
  1042: string('character'),
  1043: string('character varying'),
  2950: string('uuid', same, { format: 'uuid' }),
  650: string('cidr'),
  869: string('inet'),
  829: string('macaddr'),
  790: string('money'),
  1082: string('date'),
  1083: string('time'),
  1266: string('time with time zone'),
  1114: string('timestamp', isoTimestamp),
  1184: string('timestamp with time zone', isoTimestamptz),
  1186: string('interval'),
};

/** Array type OIDs of the scalars above (pg_type.typarray). */
const ARRAYS: Record<number, number> = {
  1000: 16,
  1016: 20,
  1005: 21,
  1007: 23,
  1028: 26,
  1021: 700,
  1022: 701,
  1231: 1700,
  199: 114,
  3807: 3802,
  1001: 17,
  1002: 18,
  1003: 19,
  1009: 25,
  1014: 1042,
  1015: 1043,
  2951: 2950,
  651: 650,
  1041: 869,
  1040: 829,
  791: 790,
  1182: 1082,
  1183: 1083,
  1270: 1266,
  1115: 1114,
  1185: 1184,
  1187: 1186,
};

/** The array of an element type: `{…}` text parsed into a JSON array, elements nullable. */
export function arrayOf(element: ColumnType): ColumnType {
  return {
    name: `${element.name}[]`,
    schema: { type: 'array', items: nullable(element.schema) },
    kind: 'array',
    parse: (text) => parseArrayLiteral(text, element.parse),
  };
}

/** A type known without asking the catalog, or undefined. */
export function builtinType(oid: number): ColumnType | undefined {
  const scalar = SCALARS[oid];
  if (scalar !== undefined) return scalar;
  const element = ARRAYS[oid];
  return element === undefined ? undefined : arrayOf(SCALARS[element] as ColumnType);
}

/** Any type the gateway cannot say more about: its text form. */
export function textType(name: string): ColumnType {
  return string(name);
}

/** An enum type: its labels are the only values. */
export function enumType(name: string, labels: readonly string[]): ColumnType {
  return { name, schema: { type: 'string', enum: [...labels] }, kind: 'string', parse: same };
}

/** Every column may be NULL (an outer join, an aggregate over nothing): its schema admits null. */
export function nullable(schema: JsonSchema): JsonSchema {
  if (schema.type === undefined) return schema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const widened: JsonSchema = { ...schema, type: [...types, 'null'] };
  if (Array.isArray(schema.enum)) widened.enum = [...schema.enum, null];
  return widened;
}
