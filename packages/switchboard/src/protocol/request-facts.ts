import type { AuthInfo } from './auth.js';
import type { ClientCapabilities, Implementation, InputRequest, LoggingLevel, Params, RequestId } from './messages.js';
import type { Era } from './versions.js';

/** Per-request facts the engine gathers before anything runs; the server's context is built on them. */
export interface RequestFacts {
  requestId: RequestId;
  method: string;
  params: Params;
  era: Era;
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo: Implementation | undefined;
  sessionId: string | undefined;
  auth: AuthInfo;
  /** Minimum level to send, or undefined to send no log messages at all. */
  logLevel: LoggingLevel | undefined;
  progressToken: string | number | undefined;
  /** MRTR answers available to this round (from `inputResponses` and earlier rounds' `requestState`). */
  inputs: Record<string, unknown> | undefined;
}

/** What the engine needs of the per-request context the server builds for it. */
export interface EngineContext {
  /** Input requests this round could not answer; non-empty means the result is `input_required`. */
  readonly pending: Record<string, InputRequest> | undefined;
  /** The response is going out: nothing more may be sent for this request. */
  markAnswered(): void;
}

/**
 * Thrown inside a handler when an MRTR round must end to ask the client (2026-07-28 basic/patterns/mrtr); the
 * engine turns it into an `input_required` result. Never reaches user code on purpose.
 */
export class InputRequiredSignal {
  readonly reason = 'input_required';
}
