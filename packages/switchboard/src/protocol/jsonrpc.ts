import { ErrorCode } from './errors.js';
import type { JsonRpcMessage, RequestId } from './messages.js';

export type MessageKind = 'request' | 'notification' | 'response' | 'invalid';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isValidId(id: unknown): id is RequestId {
  // 2026-07-28 basic/index §Requests: the ID MUST be a string or integer and MUST NOT be null.
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
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
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${JSON.stringify(result)}}`;
}

export function encodeError(id: RequestId | null, code: number, message: string, data?: unknown): string {
  const error = data === undefined ? { code, message } : { code, message, data };
  // 2026-07-28 basic/index §Error Responses: the id is omitted when it could not be read.
  return id === null
    ? JSON.stringify({ jsonrpc: '2.0', error })
    : `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(error)}}`;
}

export function encodeNotification(method: string, params?: unknown): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
}

export function encodeRequest(id: RequestId, method: string, params?: unknown): string {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":${JSON.stringify(method)}`;
  return params === undefined ? `${head}}` : `${head},"params":${JSON.stringify(params)}}`;
}

export const PARSE_ERROR_BODY = encodeError(null, ErrorCode.ParseError, 'Parse error: the body is not valid JSON');
