import type { ClientCapabilities, Implementation, LoggingLevel } from './messages.js';

/**
 * The negotiated state of one 2025-era session: an HTTP session (`Mcp-Session-Id`) or a stdio connection that
 * began with `initialize`. Kept small and serialisable so a store can hold thousands (and Redis can share them).
 */
export interface LegacySessionState {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo: Implementation | undefined;
  /** Set by `logging/setLevel`; undefined means the client never asked, so every level is sent. */
  logLevel: LoggingLevel | undefined;
  /** URIs passed to `resources/subscribe`. */
  subscriptions: string[] | undefined;
  initialized: boolean;
  /**
   * `principalKey` of the caller that opened the session ('' when anonymous). Only that caller may use it: a
   * session id that leaks must not hand one user's stream and answers to another.
   */
  principal?: string;
}

export function newSessionState(
  protocolVersion: string,
  clientCapabilities: ClientCapabilities,
  clientInfo: Implementation | undefined,
): LegacySessionState {
  return {
    protocolVersion,
    clientCapabilities,
    clientInfo,
    logLevel: undefined,
    subscriptions: undefined,
    initialized: false,
  };
}
