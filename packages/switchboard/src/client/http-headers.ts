import type { JsonRpcRequest, Params } from '../protocol/messages.js';

const SAFE_VALUE = /^[\x20-\x7e]*$/;
/** Body fields a 2026-07-28 request mirrors into `Mcp-Name` (transports/streamable-http §Request Headers). */
const NAMED_METHODS: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/**
 * A header value as 2026-07-28 transports/streamable-http §Value Encoding wants it: as is when it is plain
 * printable ASCII without edge whitespace, otherwise Base64 in the `=?base64?…?=` sentinel.
 */
export function encodeHeaderValue(value: string): string {
  if (SAFE_VALUE.test(value) && value.trim() === value) return value;
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** `Mcp-Method` and `Mcp-Name` for a 2026-07-28 request. */
export function mirroredHeaders(message: JsonRpcRequest): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-method': message.method };
  const field = NAMED_METHODS[message.method];
  const value = field === undefined ? undefined : message.params?.[field];
  if (typeof value === 'string') headers['mcp-name'] = encodeHeaderValue(value);
  return headers;
}

/**
 * The `Mcp-Param-*` headers a tool's input schema asks for (`x-mcp-header` on a property reached through
 * `properties`), with the argument values mirrored (SEP-2243). Absent arguments get no header.
 */
export function parameterHeaders(inputSchema: unknown, args: Params): Record<string, string> {
  const headers: Record<string, string> = {};
  const walk = (schema: unknown, value: unknown) => {
    if (typeof schema !== 'object' || schema === null) return;
    const node = schema as Params;
    const name = node['x-mcp-header'];
    if (typeof name === 'string' && value !== undefined && value !== null && typeof value !== 'object') {
      headers[`mcp-param-${name.toLowerCase()}`] = encodeHeaderValue(String(value));
    }
    const properties = node.properties;
    if (typeof properties !== 'object' || properties === null || typeof value !== 'object' || value === null) return;
    for (const [key, sub] of Object.entries(properties)) walk(sub, (value as Params)[key]);
  };
  walk(inputSchema, args);
  return headers;
}
