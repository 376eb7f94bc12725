import type { ElicitParams, ElicitResult, Implementation, LoggingLevel, Params } from '../protocol/messages.js';

/** Which protocol revision to speak; `auto` tries 2026-07-28 (`server/discover`) and falls back to `initialize`. */
export type EraChoice = 'auto' | '2025-11-25' | '2026-07-28';

/** A `notifications/message` from the server. */
export interface LogMessage {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

/** A `notifications/progress` for one request. */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

export interface ClientOptions {
  /** Default `auto`. */
  era?: EraChoice;
  /** How this client introduces itself. */
  clientInfo?: Implementation;
  /** Ask for the server's log messages from this level up (2025: `logging/setLevel`; 2026: per request). */
  logLevel?: LoggingLevel;
  onLog?: (message: LogMessage) => void;
  /** Every other notification the server sends (list changes, resource updates). */
  onNotification?: (method: string, params: Params) => void;
  /**
   * Answers the server's elicitation requests (a 2025-era request on the stream, or a 2026-07-28 input request).
   * Without it, the client does not declare the elicitation capability.
   */
  elicit?: (params: ElicitParams) => Promise<ElicitResult>;
}

/** Per-request options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Asks for progress (`_meta.progressToken`) and receives this request's progress notifications. */
  onProgress?: (update: ProgressUpdate) => void;
}
