import { invalidParams, ProtocolError, SwitchboardError } from '../../protocol/errors.js';
import type { Result } from '../../protocol/messages.js';
import type { Interceptor } from '../../protocol/method-table.js';
import { InputRequiredSignal } from '../../protocol/request-facts.js';
import { stringOf } from '../../protocol/untrusted.js';
import type { ServerCore } from '../core.js';
import { toClientError } from '../methods/handler-errors.js';
import { resourceNotFound } from '../methods/resources.js';
import { toolFailure } from '../methods/tool-failure.js';
import type { RequestContext } from '../request-context.js';
import { callOf } from './call-view.js';
import type { Middleware, MiddlewareCall } from './types.js';

/** A middleware broke the chain's rules (called `next()` twice): a server bug, masked for the client and logged. */
export class MiddlewareError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_MIDDLEWARE', message);
  }
}

/**
 * Composes `middlewares` (read live, so later `use()` calls join in registration order) around the engine's method
 * dispatch. Failures answer as a handler's would: for `tools/call` an `isError` result (masked unless written for
 * the model), elsewhere a JSON-RPC error, masked by the engine unless written for the caller.
 */
export function buildChain(core: ServerCore, middlewares: readonly Middleware[]): Interceptor<RequestContext> {
  return async (request, next) => {
    const call = callOf(core, request.ctx);
    let last = -1;
    const dispatch = (index: number): Promise<Result> => {
      if (index <= last) return Promise.reject(new MiddlewareError('A middleware called next() more than once'));
      last = index;
      const middleware = middlewares[index];
      if (middleware === undefined) return next();
      try {
        return Promise.resolve(middleware(call, () => dispatch(index + 1)));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    try {
      return await dispatch(0);
    } catch (error) {
      return answerFailure(error, call, request.ctx);
    }
  };
}

function answerFailure(error: unknown, call: MiddlewareCall, ctx: RequestContext): Result {
  if (error instanceof ProtocolError || error instanceof InputRequiredSignal) throw error;
  if (call.method === 'tools/call') return toolFailure(error, stringOf(call.params.name) ?? '', ctx.logger);
  const uri = call.params.uri;
  if (call.method === 'resources/read' && typeof uri === 'string') {
    throw toClientError(error, (message) => resourceNotFound(uri, ctx.era, message));
  }
  throw toClientError(error, invalidParams);
}
