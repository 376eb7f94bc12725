import type { Logger } from 'pino';
import { principalKey } from '../protocol/auth.js';
import type { Result } from '../protocol/messages.js';
import type { Middleware } from '../server/middleware/types.js';
import type { RefusalListener } from '../transports/http/refusals.js';
import { errorCodeOf, outcomeOf, toolOf } from './outcome.js';

export interface AccessLogOptions {
  /** Where lines go (default: the server's logger, whose child carries the request id and method). */
  logger?: Logger;
  /** The pino level of each line (default `info`). */
  level?: 'trace' | 'debug' | 'info';
}

/** The access-log middleware, with the listener that logs what the HTTP edge refused before middleware ran. */
export type AccessLog = Middleware & {
  /** For `serve({ onRefused })` (or `createNodeHandler`/`createFetchHandler`): a line per refused request. */
  readonly refused: RefusalListener;
};

/**
 * One structured line per request, after it is answered: `method`, `tool`, `principal` (`principalKey`, or
 * `anonymous`), `era`, `status` (`ok`, `tool_error` or `error`, with the JSON-RPC `code` when the error says),
 * `durationMs`, and the `requestId` and `sessionId`. Requests the HTTP edge refuses before middleware runs get
 * their line from `refused`, passed as `serve({ onRefused })`: `status` `refused` and the `httpStatus`, with
 * `method`, `era` and `principal` when they were known.
 */
export function accessLog(options: AccessLogOptions = {}): AccessLog {
  const level = options.level ?? 'info';
  const refused: RefusalListener = (refusal) => {
    const line: Record<string, unknown> = {
      method: refusal.method,
      httpMethod: refusal.httpMethod,
      principal: refusal.auth === undefined ? undefined : principalKey(refusal.auth) || 'anonymous',
      era: refusal.era,
      status: 'refused',
      httpStatus: refusal.status,
      durationMs: refusal.durationMs,
      sessionId: refusal.sessionId,
    };
    (options.logger ?? refusal.logger)[level](line, 'request');
  };
  const middleware: Middleware = async (call, next) => {
    const started = performance.now();
    let result: Result | undefined;
    let failure: unknown;
    try {
      result = await next();
      return result;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const ctx = call.ctx;
      const line: Record<string, unknown> = {
        method: call.method,
        tool: toolOf(call),
        principal: principalKey(call.auth) || 'anonymous',
        era: call.era,
        status: outcomeOf(result),
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        requestId: ctx.requestId,
        sessionId: ctx.sessionId,
      };
      if (result === undefined) line.code = errorCodeOf(failure) ?? -32603;
      (options.logger ?? ctx.logger)[level](line, 'request');
    }
  };
  return Object.assign(middleware, { refused });
}
