import type { Params } from './messages.js';

/**
 * What a transport offers the engine for one inbound request: a way to send request-scoped messages back and
 * a cancellation signal. Implemented by the stdio connection, the HTTP reply and the in-memory client.
 */
export interface Link {
  /** Sends a notification that relates to this request (progress, log messages). */
  notify(method: string, params: Params): void;
  /**
   * Sends a server-to-client request on this request's stream and resolves with the client's result
   * (2025-era sessions only). Undefined when the transport has no way back to the client.
   */
  readonly request: ((method: string, params: Params, signal: AbortSignal) => Promise<Params>) | undefined;
  /** A header of the transport request that carried this one (HTTP); undefined where there are none (stdio). */
  header?(name: string): string | undefined;
  /** Aborts when the client cancels the request or goes away. Created on first access. */
  readonly signal: AbortSignal;
}
