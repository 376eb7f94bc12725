import type { JsonSchema } from '../server/schema.js';
import type { ColumnType } from './column-types.js';
import { DatabaseUnavailableError } from './database.js';
import { classify } from './db-errors.js';
import type { Description, Executor } from './executor-contract.js';
import { SqlCheckError } from './sql-check-error.js';

/**
 * Describes `text` with PostgreSQL (parse and describe, nothing runs). A refusal becomes a SqlCheckError naming
 * the tool, quoting PostgreSQL's message and hint and the line it points at, with `$n` shown as the `:name` the
 * author wrote; an unreachable database becomes a DatabaseUnavailableError.
 */
export async function describeOrFail(
  executor: Executor,
  text: string,
  what: string,
  params: readonly string[],
): Promise<Description> {
  try {
    return await executor.describe(text);
  } catch (error) {
    if (classify(error, false).kind === 'unavailable') {
      throw new DatabaseUnavailableError(
        `${what}: cannot check its SQL against the database, which is unavailable: ${(error as Error).message}`,
      );
    }
    const e = error as { message?: string; hint?: string; position?: string | number };
    const named = (message: string) =>
      message.replace(/\$(\d+)/g, (all, n) => (params[n - 1] === undefined ? all : `:${params[n - 1]}`));
    let message = `${what}: PostgreSQL refused the SQL: ${named(String(e.message))}`;
    if (typeof e.hint === 'string' && e.hint !== '') message += ` (hint: ${named(e.hint)})`;
    const position = Number(e.position);
    if (Number.isInteger(position) && position > 0) {
      const before = text.slice(0, position - 1);
      const lineStart = before.lastIndexOf('\n') + 1;
      const lineEnd = text.indexOf('\n', position - 1);
      const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim();
      message += `, at: ${named(line)}`;
    }
    throw new SqlCheckError(message);
  }
}

/** The JSON kind an input field accepts, read from its JSON Schema (undefined when it accepts several). */
function jsonKindOf(schema: JsonSchema | undefined): string | undefined {
  if (schema === undefined) return undefined;
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const kinds = type.filter((t) => t !== 'null');
    return kinds.length === 1 ? String(kinds[0]) : undefined;
  }
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) return 'string';
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const kinds = new Set(options.map((o) => jsonKindOf(o as JsonSchema)).filter((k) => k !== 'null'));
      return kinds.size === 1 ? [...kinds][0] : undefined;
    }
  }
  return undefined;
}

const ACCEPTS: Record<ColumnType['kind'], readonly string[]> = {
  integer: ['integer'],
  number: ['integer', 'number'],
  boolean: ['boolean'],
  array: ['array'],
  json: ['object', 'array', 'string', 'number', 'integer', 'boolean'],
  // Text-like types (text, uuid, date, enums, …) read any scalar's text form.
  string: ['string', 'integer', 'number', 'boolean'],
};

const ADVICE: Record<string, string> = {
  integer: 'z.number().int()',
  number: 'z.number()',
  boolean: 'z.boolean()',
  array: 'z.array(…)',
};

/**
 * Checks that each input field fits the type PostgreSQL inferred for its parameter, so that a string field for an
 * integer parameter fails at start instead of as a database error on the first call.
 */
export function checkInputKinds(
  what: string,
  params: readonly string[],
  types: readonly ColumnType[],
  inputJson: JsonSchema,
): void {
  const properties = (inputJson.properties ?? {}) as Record<string, JsonSchema>;
  params.forEach((name, index) => {
    const field = properties[name];
    const type = types[index] as ColumnType;
    const kind = jsonKindOf(field);
    if (field === undefined || kind === undefined || ACCEPTS[type.kind].includes(kind)) return;
    throw new SqlCheckError(
      `${what}: :${name} is ${type.name} in the SQL, but input field "${name}" is ${kind === 'integer' ? 'an' : 'a'} ${kind}; declare it as ${ADVICE[type.kind] ?? 'a matching type'} or cast the parameter in the SQL (:${name}::text)`,
    );
  });
}
