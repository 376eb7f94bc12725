import { ProtocolError } from '../protocol/errors.js';
import type { Result } from '../protocol/messages.js';
import type { MiddlewareCall } from '../server/middleware/types.js';

/** How a request ended: answered, answered with a tool's `isError` result, or with a JSON-RPC error. */
export type Outcome = 'ok' | 'tool_error' | 'error';

export function outcomeOf(result: Result | undefined): Outcome {
  return result === undefined ? 'error' : result.isError === true ? 'tool_error' : 'ok';
}

/** The JSON-RPC code a thrown error will be answered with, when it says (others are masked as -32603). */
export function errorCodeOf(error: unknown): number | undefined {
  return error instanceof ProtocolError ? error.rpcCode : undefined;
}

/** The tool a `tools/call` names, when it is registered (unknown names are not labels: they are unbounded). */
export function toolOf(call: MiddlewareCall): string | undefined {
  return call.target?.kind === 'tool' ? call.target.name : undefined;
}
