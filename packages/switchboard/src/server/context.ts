import type { Logger } from 'pino';
import type { AuthInfo } from '../protocol/auth.js';
import type {
  ClientCapabilities,
  CreateMessageParams,
  CreateMessageResult,
  ElicitResult,
  Implementation,
  ListRootsResult,
  LoggingLevel,
  Params,
  RequestId,
} from '../protocol/messages.js';
import type { Era } from '../protocol/versions.js';
import type { InferObject, ObjectInput } from './schema.js';

/** Sends `notifications/message` to the client, filtered by the level the client asked for. */
export type ClientLog = {
  [level in LoggingLevel]: (data: unknown, logger?: string) => void;
};

/** An elicitation answer whose `content` has been checked against the zod form that asked for it. */
export type ElicitAnswer<T> = { action: 'accept'; content: T } | { action: 'decline' | 'cancel'; content?: undefined };

/** Options for one server-to-client question. */
export interface AskOptions {
  /**
   * The key this question has in an MRTR round (2026-07-28 `inputRequests`). By default keys are assigned in
   * call order (`elicit-1`, `sample-1`, ...), which is stable as long as the handler asks in a stable order.
   */
  key?: string;
}

/** What every handler receives next to its arguments. The same code serves both protocol eras. */
export interface Context {
  readonly requestId: RequestId;
  readonly era: Era;
  readonly protocolVersion: string;
  readonly client: { readonly info: Implementation | undefined; readonly capabilities: ClientCapabilities };
  /** The 2025-era session id over HTTP; undefined in the stateless era and on stdio. */
  readonly sessionId: string | undefined;
  /** Who is calling: empty scopes and claims until authorization is configured. */
  readonly auth: AuthInfo;
  /** Per-request data shared with middleware (what a middleware put in `call.state`). */
  readonly state: Record<string, unknown>;
  /** Aborted when the client cancels this request. */
  readonly signal: AbortSignal;
  /** The progress token the client sent, if it asked for progress. */
  readonly progressToken: string | number | undefined;
  /** Log messages for the client (MCP logging); for server-side logs use `logger`. */
  readonly log: ClientLog;
  /** The server's structured logger (pino), bound to this request. */
  readonly logger: Logger;
  /** Reports progress when the client asked for it with a progress token; otherwise does nothing. */
  progress(progress: number, total?: number, message?: string): void;
  /** Asks the user for input through the client. With a zod form, accepted content is validated and typed. */
  elicit<F extends ObjectInput>(message: string, form: F, options?: AskOptions): Promise<ElicitAnswer<InferObject<F>>>;
  elicit(params: Params, options?: AskOptions): Promise<ElicitResult>;
  /** Asks the client's model for a completion. */
  sample(params: CreateMessageParams | string, options?: AskOptions): Promise<CreateMessageResult>;
  /** Asks the client for its filesystem roots. */
  listRoots(options?: AskOptions): Promise<ListRootsResult>;
  /**
   * Turns this call into a task now (tools registered with `task` and `taskStart: 'by-handler'`): the client gets
   * the task handle and the handler goes on in the background, where questions park the task until tasks/update
   * answers them. Does nothing where the call cannot become a task.
   */
  startTask(): Promise<void>;
}
