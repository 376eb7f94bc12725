import type { Call, MethodSpec } from '../../protocol/method-table.js';
import type { RequestContext } from '../request-context.js';

/** A request as the server's methods see it: the engine's call with the server's own context. */
export type ServerCall = Call<RequestContext>;
/** One method of the server's table. */
export type ServerMethod = MethodSpec<RequestContext>;
