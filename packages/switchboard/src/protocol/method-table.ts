import type { RequestContext } from '../server/context.js';
import type { Link } from './link.js';
import type { CacheHints, Params, Result } from './messages.js';
import type { LegacySessionState } from './session.js';
import type { Era } from './versions.js';

/** The legacy session a request runs in; `initialize` fills `state`, the transport persists it. */
export interface SessionSlot {
  id: string | undefined;
  state: LegacySessionState | undefined;
}

/** Everything a method implementation may touch for one request. */
export interface Call {
  readonly params: Params;
  readonly ctx: RequestContext;
  readonly link: Link;
  readonly session: SessionSlot | undefined;
}

export interface MethodSpec {
  /** Which era serves this method; the other era answers -32601. */
  readonly era: Era | 'both';
  readonly handle: (call: Call) => Result | Promise<Result>;
  /** 2026-07-28 server/utilities/caching: hints for this method's complete results. */
  readonly cache?: CacheHints;
  /** MRTR-capable (tools/call, prompts/get, resources/read): names what the request is about, for `requestState`. */
  readonly mrtrTarget?: (params: Params) => string;
}

export type MethodTable = ReadonlyMap<string, MethodSpec>;
