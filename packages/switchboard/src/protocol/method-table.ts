import type { Link } from './link.js';
import type { CacheHints, Params, Result } from './messages.js';
import type { EngineContext } from './request-facts.js';
import type { LegacySessionState } from './session.js';
import type { Era } from './versions.js';

/** The legacy session a request runs in; `initialize` fills `state`, the transport persists it. */
export interface SessionSlot {
  id: string | undefined;
  state: LegacySessionState | undefined;
}

/** Everything a method implementation may touch for one request. */
export interface Call<C extends EngineContext = EngineContext> {
  readonly params: Params;
  readonly ctx: C;
  readonly link: Link;
  readonly session: SessionSlot | undefined;
}

export interface MethodSpec<C extends EngineContext = EngineContext> {
  /** Which era serves this method; the other era answers -32601. */
  readonly era: Era | 'both';
  readonly handle: (call: Call<C>) => Result | Promise<Result>;
  /** 2026-07-28 server/utilities/caching: hints for this method's complete results. */
  readonly cache?: CacheHints;
  /** MRTR-capable (tools/call, prompts/get, resources/read): names what the request is about, for `requestState`. */
  readonly mrtrTarget?: (params: Params) => string;
}

export type MethodTable<C extends EngineContext = EngineContext> = ReadonlyMap<string, MethodSpec<C>>;

/**
 * Runs around the method of every request (the server's middleware chain); `next` runs the method itself, MRTR
 * round included, so an interceptor sees `input_required` as a result rather than as an error.
 */
export type Interceptor<C extends EngineContext = EngineContext> = (
  call: Call<C>,
  next: () => Promise<Result>,
) => Promise<Result>;
