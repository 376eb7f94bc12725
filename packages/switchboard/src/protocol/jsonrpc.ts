import { randomBytes } from 'node:crypto';
import { ErrorCode } from './errors.js';
import { keepLargeIds } from './large-ids.js';
import type { JsonRpcMessage, RequestId } from './messages.js';
import { isPlainObject } from './untrusted.js';

export type MessageKind = 'request' | 'notification' | 'response' | 'invalid';

function isValidId(id: unknown): id is RequestId {
  // 2026-07-28 basic/index §Requests: the ID MUST be a string or integer and MUST NOT be null.
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) || typeof id === 'bigint';
}

/** Parses one message (or batch) as it arrived; throws `SyntaxError` for text that is not JSON. */
export function parseMessageText(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  keepLargeIds(value, text);
  return value;
}

/** A request id as JSON: a `bigint` id (past 2^53) is written digit for digit. */
export function encodeId(id: RequestId): string {
  return typeof id === 'bigint' ? id.toString() : JSON.stringify(id);
}

/** A random marker per process, so no client string can pose as a large id in `stringifyJson`'s slow path. */
const BIGINT_NONCE = randomBytes(8).toString('hex');
/** How the slow path's placeholder looks once stringified (JSON writes the NUL character as `\u0000`). */
const BIGINT_PLACEHOLDER = new RegExp(`"\\\\u0000${BIGINT_NONCE}:(-?\\d+)"`, 'g');

/**
 * `JSON.stringify`, except that a `bigint` (a large request id echoed in a result, such as a subscription id) is
 * written as the integer it is. The common case is plain `JSON.stringify`; only a value holding a bigint pays more.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const text = JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? `\u0000${BIGINT_NONCE}:${item}` : item,
    );
    return text.replace(BIGINT_PLACEHOLDER, '$1');
  }
}

/** Classifies one parsed JSON value without allocating. `invalid` covers everything JSON-RPC 2.0 rejects. */
export function classifyMessage(value: unknown): MessageKind {
  if (!isPlainObject(value) || value.jsonrpc !== '2.0') return 'invalid';
  if (value.method !== undefined) {
    if (typeof value.method !== 'string') return 'invalid';
    if (value.params !== undefined && !isPlainObject(value.params)) return 'invalid';
    if (value.id === undefined) return 'notification';
    return isValidId(value.id) ? 'request' : 'invalid';
  }
  if (!isValidId(value.id)) return 'invalid';
  if (isPlainObject(value.result) && value.error === undefined) return 'response';
  if (isPlainObject(value.error) && value.result === undefined) return 'response';
  return 'invalid';
}

/** The id of a message we could not accept, when one can be read (for the error response). */
export function readableId(value: unknown): RequestId | null {
  return isPlainObject(value) && isValidId(value.id) ? value.id : null;
}

export function asMessage(value: unknown): JsonRpcMessage {
  return value as JsonRpcMessage;
}

export function encodeResult(id: RequestId, result: unknown): string {
  return `{"jsonrpc":"2.0","id":${encodeId(id)},"result":${stringifyJson(result)}}`;
}

export function encodeError(id: RequestId | null, code: number, message: string, data?: unknown): string {
  const error = data === undefined ? { code, message } : { code, message, data };
  // 2026-07-28 basic/index §Error Responses: the id is omitted when it could not be read.
  return id === null
    ? JSON.stringify({ jsonrpc: '2.0', error })
    : `{"jsonrpc":"2.0","id":${encodeId(id)},"error":${stringifyJson(error)}}`;
}

export function encodeNotification(method: string, params?: unknown): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${stringifyJson(params)}}`;
}

export function encodeRequest(id: RequestId, method: string, params?: unknown): string {
  const head = `{"jsonrpc":"2.0","id":${encodeId(id)},"method":${JSON.stringify(method)}`;
  return params === undefined ? `${head}}` : `${head},"params":${stringifyJson(params)}}`;
}

export const PARSE_ERROR_BODY = encodeError(null, ErrorCode.ParseError, 'Parse error: the body is not valid JSON');
