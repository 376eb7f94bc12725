import type { Context, SpanContext } from '@opentelemetry/api';
import { createTraceState, isSpanContextValid, TraceFlags, trace } from '@opentelemetry/api';
import type { Params } from '../protocol/messages.js';
import type { MiddlewareCall } from '../server/middleware/types.js';

/** W3C Trace Context, version 00: `00-{32 hex trace id}-{16 hex span id}-{2 hex flags}` (later versions may add fields). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The remote parent a `traceparent` (and `tracestate`) names, or undefined when it is absent or malformed. */
export function parseTraceparent(traceparent: unknown, tracestate: unknown): SpanContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  // W3C Trace Context §3.2.2: version ff is invalid; version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (typeof tracestate === 'string' && tracestate !== '') context.traceState = createTraceState(tracestate);
  return isSpanContextValid(context) ? context : undefined;
}

/**
 * The parent of a request's span: the `_meta` trace context (`traceparent`/`tracestate`, as SEP-414 and the
 * 2026-07-28 SDKs carry it) wins over the HTTP `traceparent` header (which names the HTTP hop), which wins over
 * the active context.
 */
export function parentContext(call: MiddlewareCall, active: Context): Context {
  const meta = call.params._meta as Params | undefined;
  const fromMeta =
    meta !== undefined && typeof meta === 'object' ? parseTraceparent(meta.traceparent, meta.tracestate) : undefined;
  const remote = fromMeta ?? parseTraceparent(call.header('traceparent'), call.header('tracestate'));
  return remote === undefined ? active : trace.setSpanContext(active, remote);
}
