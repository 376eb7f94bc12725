import type { ProtocolError } from '../../protocol/errors.js';
import { invalidParams, NotFoundError, SwitchboardError, ToolError } from '../../protocol/errors.js';

/**
 * What a resource or prompt handler threw, as the client should see it. Errors thrown on purpose (`NotFoundError`,
 * `ToolError`, an input the client could not give) carry a message written for the caller and become JSON-RPC
 * errors with that message; protocol errors pass as they are; anything else is returned unchanged, for the engine
 * to mask and log.
 */
export function toClientError(error: unknown, notFound: (message: string) => ProtocolError): unknown {
  if (error instanceof NotFoundError) return notFound(error.message);
  if (error instanceof ToolError || (error instanceof SwitchboardError && error.code === 'ERR_INPUT_UNAVAILABLE')) {
    return invalidParams(error.message);
  }
  return error;
}
