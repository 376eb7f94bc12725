import { RegistrationError } from '../protocol/errors.js';
import type { HeaderParam } from '../protocol/host.js';
import type { JsonSchema } from './json-schema.js';

export type { HeaderParam };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_PATHS = ['items', 'prefixItems', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', '$defs'];

function walk(schema: unknown, path: string[], found: HeaderParam[], toolName: string, reachable: boolean): void {
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as JsonSchema;
  const name = node['x-mcp-header'];
  if (name !== undefined) {
    const where = `tool "${toolName}" parameter ${path.join('.') || '(root)'}`;
    if (!reachable || path.length === 0) {
      throw new RegistrationError(
        `${where}: x-mcp-header is only allowed on properties reachable through "properties"`,
      );
    }
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new RegistrationError(`${where}: x-mcp-header must be a non-empty HTTP token`);
    }
    const type = node.type;
    if (type !== 'string' && type !== 'integer' && type !== 'boolean') {
      throw new RegistrationError(`${where}: x-mcp-header needs a string, integer or boolean parameter`);
    }
    const header = `mcp-param-${name.toLowerCase()}`;
    if (found.some((p) => p.header === header)) {
      throw new RegistrationError(`${where}: x-mcp-header "${name}" is used twice`);
    }
    found.push({ header, path: [...path], type });
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [prop, sub] of Object.entries(value)) walk(sub, [...path, prop], found, toolName, reachable);
    } else if (FORBIDDEN_PATHS.includes(key) || key === 'additionalProperties' || key === 'patternProperties') {
      const subs = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? [value] : [];
      const nested = key === '$defs' || key === 'patternProperties' ? Object.values(value as object) : subs;
      for (const sub of nested) walk(sub, path, found, toolName, false);
    }
  }
}

/** Finds and checks every `x-mcp-header` annotation in an input schema; throws on any the spec forbids. */
export function collectHeaderParams(inputSchema: JsonSchema, toolName: string): HeaderParam[] {
  const found: HeaderParam[] = [];
  walk(inputSchema, [], found, toolName, true);
  return found;
}
