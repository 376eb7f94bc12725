import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isCallerReadable, isStoreUnavailable, ProtocolError } from '../../protocol/errors.js';
import type { CallToolResult } from '../../protocol/messages.js';
import { InputRequiredSignal } from '../../protocol/request-facts.js';
import { SWITCHBOARD_META_PREFIX } from '../../protocol/versions.js';
import { text } from '../content.js';

export const CORRELATION_META = `${SWITCHBOARD_META_PREFIX}correlationId`;

/**
 * What a failed tool call (its handler or a middleware around it) answers: protocol errors, MRTR signals and an
 * unreachable store go on as they are; an error written for the model (`ToolError`, not found, an input the client
 * could not give) becomes an `isError` result with its message; anything else may hold internals (stack, SQL,
 * paths), so it is masked, logged, and the model gets a correlation id to quote.
 */
export function toolFailure(error: unknown, toolName: string, logger: Logger): CallToolResult {
  // A store that cannot be reached (the task store, when the handler starts its task) is the request's outage,
  // answered as one (503), not the tool's failure.
  if (error instanceof InputRequiredSignal || error instanceof ProtocolError || isStoreUnavailable(error)) throw error;
  if (isCallerReadable(error)) return { content: [text(error.message)], isError: true };
  const correlationId = randomUUID();
  logger.error({ err: error, correlationId, tool: toolName }, 'tool failed');
  return {
    content: [
      text(
        `Tool "${toolName}" failed with an internal error (correlation id ${correlationId}). The details were logged on the server.`,
      ),
    ],
    isError: true,
    _meta: { [CORRELATION_META]: correlationId },
  };
}
