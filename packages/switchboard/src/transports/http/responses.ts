import { encodeError } from '../../protocol/jsonrpc.js';
import type { RequestId } from '../../protocol/messages.js';
import type { HttpExchange } from './exchange.js';

export const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** Sends a JSON-RPC error as the whole HTTP response (transport-level failures). */
export function sendError(
  exchange: HttpExchange,
  status: number,
  headers: Record<string, string>,
  code: number,
  message: string,
  id: RequestId | null = null,
  extra?: Readonly<Record<string, string>>,
  data?: unknown,
): void {
  exchange.send(
    status,
    { 'content-type': 'application/json', ...headers, ...extra },
    encodeError(id, code, message, data),
  );
}

const EXPOSED = 'mcp-session-id, mcp-protocol-version, www-authenticate';
const ALLOWED_HEADERS =
  'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id';

/**
 * CORS response headers for an allowed browser origin: the MCP headers must be readable by the page. The answer
 * depends on `Origin`, so caches are told so (RFC 9110 §12.5.5).
 */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'Origin' };
}

/**
 * Answers a CORS preflight: methods, and the request headers asked for (covers every `Mcp-Param-*`). A preflight
 * answer is cached by browsers, and it echoes `Access-Control-Request-Headers`, so it varies on that too.
 */
export function sendPreflight(exchange: HttpExchange, origin: string | undefined): void {
  const headers: Record<string, string> = {
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': exchange.header('access-control-request-headers') ?? ALLOWED_HEADERS,
    'access-control-max-age': '86400',
  };
  if (origin !== undefined) Object.assign(headers, corsHeaders(origin));
  headers.vary = 'Origin, Access-Control-Request-Headers';
  exchange.send(204, headers);
}
