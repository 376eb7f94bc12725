import type { HeaderParam } from '../../protocol/host.js';
import type { JsonRpcRequest } from '../../protocol/messages.js';
import { describeValue, isPlainObject, ownEntry } from '../../protocol/untrusted.js';
import { MODERN_VERSION } from '../../protocol/versions.js';
import type { HttpExchange } from './exchange.js';

const SENTINEL = /^=\?base64\?(.*)\?=$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A decimal integer, optionally with a zero fraction (`42`, `-7`, `42.0`); not `0x2A`, `4.2e1` or `42.5`. */
const DECIMAL_INTEGER = /^-?\d+(?:\.0+)?$/;
/** Body fields mirrored into `Mcp-Name` (SEP-2243; SEP-2663 adds the task id for tasks/*). */
const NAMED_METHODS: ReadonlyMap<string, 'name' | 'uri' | 'taskId'> = new Map([
  ['tools/call', 'name'],
  ['prompts/get', 'name'],
  ['resources/read', 'uri'],
  ['tasks/get', 'taskId'],
  ['tasks/update', 'taskId'],
  ['tasks/cancel', 'taskId'],
]);

/**
 * Decodes a header value that may use the `=?base64?…?=` sentinel; undefined when it has invalid characters or
 * the sentinel wraps something that is not canonical Base64 (2026-07-28 transports/streamable-http §Value Encoding).
 */
export function decodeHeaderValue(value: string): string | undefined {
  // Tab and visible ASCII only: a loop, as names are short and a regular expression costs more to enter.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x09)) return undefined;
  }
  if (!value.startsWith('=?base64?')) return value;
  const encoded = SENTINEL.exec(value);
  if (encoded === null) return value;
  const payload = encoded[1] ?? '';
  return BASE64.test(payload) ? Buffer.from(payload, 'base64').toString('utf8') : undefined;
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let node = args;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = ownEntry(node, key);
  }
  return node;
}

function sameValue(type: HeaderParam['type'], header: string, value: unknown): boolean {
  // 2026-07-28 transports/streamable-http §Server Validation: integers SHOULD compare numerically (42.0 = 42).
  if (type === 'integer') return DECIMAL_INTEGER.test(header.trim()) && Number(header) === value;
  if (type === 'boolean') return typeof value === 'boolean' && header === `${value}`;
  return header === value;
}

/**
 * Checks the headers a 2026-07-28 POST mirrors from its body (transports/streamable-http §Server Validation):
 * `MCP-Protocol-Version` first, then (for a supported version) `Mcp-Method`, `Mcp-Name` and every `Mcp-Param-*` the
 * tool declares. Returns what is wrong, or undefined.
 */
export function findHeaderMismatch(
  exchange: HttpExchange,
  message: JsonRpcRequest,
  bodyVersion: string,
  headerParams: readonly HeaderParam[] | undefined,
): string | undefined {
  const version = exchange.header('mcp-protocol-version');
  if (version === undefined) return 'the MCP-Protocol-Version header is required';
  if (version !== bodyVersion) {
    return `MCP-Protocol-Version header "${version}" does not match _meta protocol version "${bodyVersion}"`;
  }
  // A revision we do not serve is answered with -32022 and the supported list (by the engine) before the other
  // header rules: its client may mirror headers differently and needs to learn which version to retry with.
  if (bodyVersion !== MODERN_VERSION) return undefined;
  const method = exchange.header('mcp-method');
  if (method === undefined) return 'the Mcp-Method header is required';
  if (method !== message.method) return `Mcp-Method header "${method}" does not match body method "${message.method}"`;
  const field = NAMED_METHODS.get(message.method);
  if (field === undefined) return undefined;
  const params = message.params ?? {};
  const rawName = exchange.header('mcp-name');
  if (rawName === undefined) return `the Mcp-Name header is required for ${message.method}`;
  const name = decodeHeaderValue(rawName);
  if (name === undefined) return 'the Mcp-Name header contains invalid characters';
  if (name !== params[field])
    return `Mcp-Name header "${name}" does not match body ${field} "${describeValue(params[field])}"`;
  for (const param of headerParams ?? []) {
    const value = valueAt(params.arguments, param.path);
    const raw = exchange.header(param.header);
    if (value === undefined || value === null) {
      if (raw !== undefined) return `header ${param.header} was sent but argument ${param.path.join('.')} is absent`;
      continue;
    }
    if (raw === undefined) return `header ${param.header} is required when argument ${param.path.join('.')} is present`;
    const decoded = decodeHeaderValue(raw);
    if (decoded === undefined) return `header ${param.header} contains invalid characters`;
    if (!sameValue(param.type, decoded, value)) {
      return `header ${param.header} "${decoded}" does not match argument ${param.path.join('.')}`;
    }
  }
  return undefined;
}
