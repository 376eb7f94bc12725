import { LATEST_LEGACY_VERSION, META, MODERN_VERSION } from '../../protocol/versions.js';

const CLIENT_INFO = { name: 'switchboard-doctor', version: '1.0.0' };

/** A request the doctor sends, with the headers its era needs. */
export interface McpRequest {
  headers: Record<string, string>;
  body: string;
}

const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A 2025-11-25 `initialize`. */
export function initializeRequest(id: number): McpRequest {
  return {
    headers: { ...BASE },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'initialize',
      params: { protocolVersion: LATEST_LEGACY_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
    }),
  };
}

/** A 2026-07-28 request: the `_meta` envelope in the body, the version and method mirrored into headers. */
export function modernRequest(id: number, method: string, params: Record<string, unknown> = {}): McpRequest {
  const name = (params.name ?? params.uri) as string | undefined;
  return {
    headers: {
      ...BASE,
      'mcp-protocol-version': MODERN_VERSION,
      'mcp-method': method,
      ...(name !== undefined ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method,
      params: {
        ...params,
        _meta: {
          [META.protocolVersion]: MODERN_VERSION,
          [META.clientInfo]: CLIENT_INFO,
          [META.clientCapabilities]: {},
        },
      },
    }),
  };
}
