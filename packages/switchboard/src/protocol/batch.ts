import { ErrorCode } from './errors.js';
import { classifyMessage, encodeError, readableId } from './jsonrpc.js';
import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, Params } from './messages.js';
import { META, MODERN_VERSION } from './versions.js';

/**
 * The newest revision with JSON-RPC batches. 2025-03-26 basic/index §Batching: implementations MUST support
 * receiving them; 2025-06-18 removed batching, and 2026-07-28 carries one message per POST or line.
 */
export const LAST_BATCHING_VERSION = '2025-03-26';

/** One message of a batch, checked on its own (JSON-RPC 2.0 §6: each member is processed independently). */
export type BatchMember =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  /** A member that gets this error response, in its place in the batch. */
  | { kind: 'invalid'; error: string };

/** How a transport serves the members of a batch, as it would serve them one by one. */
export interface BatchHandlers {
  /** Resolves with the encoded response, or undefined when none is sent (the request was cancelled). */
  request(message: JsonRpcRequest): Promise<string | undefined>;
  notification(message: JsonRpcNotification): void | Promise<void>;
  response(message: JsonRpcResponse): void;
}

/**
 * Reads a JSON array as a batch from a client that negotiated `version` (undefined: no session or connection
 * state to go by). Returns its members, or why the whole batch gets -32600.
 */
export function readBatch(items: readonly unknown[], version: string | undefined): BatchMember[] | string {
  const refused = 'Invalid Request: JSON-RPC batches are not supported';
  if (version === MODERN_VERSION || items.some(hasProtocolMeta)) {
    return `${refused} in 2026-07-28; send one message at a time`;
  }
  if (version === undefined) return `${refused} without a 2025-03-26 session; send one message at a time`;
  if (version > LAST_BATCHING_VERSION) {
    return `${refused} in ${version} (batching ended with ${LAST_BATCHING_VERSION}); send one message at a time`;
  }
  // JSON-RPC 2.0 §6: an empty array is answered with a single Invalid Request error.
  if (items.length === 0) return 'Invalid Request: an empty JSON-RPC batch';
  return items.map(readMember);
}

function readMember(item: unknown): BatchMember {
  const kind = classifyMessage(item);
  if (kind === 'invalid') {
    const error = encodeError(
      readableId(item),
      ErrorCode.InvalidRequest,
      'Invalid Request: not a JSON-RPC 2.0 message',
    );
    return { kind, error };
  }
  if (kind === 'request' && (item as JsonRpcRequest).method === 'initialize') {
    // 2025-03-26 basic/lifecycle §Initialization: the initialize request MUST NOT be part of a JSON-RPC batch.
    const id = (item as JsonRpcRequest).id;
    const error = encodeError(id, ErrorCode.InvalidRequest, 'Invalid Request: initialize cannot be part of a batch');
    return { kind: 'invalid', error };
  }
  return { kind, message: item } as BatchMember;
}

function hasProtocolMeta(item: unknown): boolean {
  const params = (item as { params?: unknown } | null)?.params;
  const meta = typeof params === 'object' && params !== null ? (params as Params)._meta : undefined;
  return typeof meta === 'object' && meta !== null && (meta as Params)[META.protocolVersion] !== undefined;
}

/** Whether any member is answered: a request, or a member refused on its own. */
export function expectsAnswers(members: readonly BatchMember[]): boolean {
  return members.some((member) => member.kind === 'request' || member.kind === 'invalid');
}

/**
 * Serves every member (requests concurrently, notifications and responses in order) and resolves with the answers
 * in batch order. `onAnswer` sees each answer as soon as it is ready, for a transport that streams them.
 */
export async function serveBatch(
  members: readonly BatchMember[],
  handlers: BatchHandlers,
  onAnswer?: (body: string) => void,
): Promise<string[]> {
  const answers = await Promise.all(
    members.map(async (member): Promise<string | undefined> => {
      let answer: string | undefined;
      if (member.kind === 'invalid') answer = member.error;
      else if (member.kind === 'request') answer = await handlers.request(member.message);
      else if (member.kind === 'notification') await handlers.notification(member.message);
      else handlers.response(member.message);
      if (answer !== undefined) onAnswer?.(answer);
      return answer;
    }),
  );
  return answers.filter((answer) => answer !== undefined);
}

/**
 * The answers as one JSON-RPC batch response; undefined when there are none (JSON-RPC 2.0 §6: a batch of
 * notifications gets nothing back, never an empty array).
 */
export function encodeBatch(answers: readonly string[]): string | undefined {
  return answers.length === 0 ? undefined : `[${answers.join(',')}]`;
}
