import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, Params } from '../protocol/messages.js';

/** What the client core does with messages the server sends on its own initiative. */
export interface IncomingHandler {
  /** A notification: progress, log messages, list changes. */
  notification(message: JsonRpcNotification): void;
  /** A server-to-client request (2025 era: elicitation, sampling, roots); resolves with the result to send back. */
  request(message: JsonRpcRequest): Promise<Params>;
}

/** Per-request options a transport honours. */
export interface SendOptions {
  /** Cancels the request: stdio sends `notifications/cancelled`, HTTP closes the request's stream. */
  signal?: AbortSignal;
  /** Extra HTTP headers for this request (2026-07-28 `Mcp-Param-*` mirrors of tool arguments). */
  headers?: Record<string, string>;
}

/**
 * Moves JSON-RPC messages between the client core and one server: a child process over stdio, or Streamable HTTP.
 * It knows nothing of eras beyond the headers HTTP needs; answering the server's requests is the handler's job.
 */
export interface ClientTransport {
  /** Starts the transport (spawns the process); incoming messages go to `handler` from now on. */
  start(handler: IncomingHandler): Promise<void>;
  /** Sends a request and resolves with its response, whatever error it carries. */
  request(message: JsonRpcRequest, options?: SendOptions): Promise<JsonRpcResponse>;
  notify(message: JsonRpcNotification): Promise<void>;
  /**
   * After a 2025-era `initialize`: the negotiated version (HTTP sends it in `MCP-Protocol-Version` from now on,
   * and the session id the server gave with `Mcp-Session-Id`).
   */
  useLegacySession(protocolVersion: string): void;
  /** Ends the conversation: the process is stopped, an HTTP session deleted. */
  close(): Promise<void>;
}

/** How a JSON-RPC error answered a request, as a response object. */
export function errorResponse(id: JsonRpcRequest['id'], code: number, message: string): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}
