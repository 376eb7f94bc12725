/** RFC 9728 §2: the Protected Resource Metadata this server publishes. */
export interface ProtectedResourceMetadata {
  /** The resource identifier: the URL clients use, byte for byte what they compare (RFC 9728 §3.3). */
  readonly resource: string;
  /** Issuers of the authorization servers whose tokens this resource accepts. */
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  /** Only the Authorization header (RFC 6750 §2.1); query and form-body tokens are refused. */
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
}

/** The static parts of the document; `resource` is added per request when it is derived from the request. */
export interface MetadataFields {
  readonly authorizationServers: readonly string[];
  readonly scopesSupported?: readonly string[];
  readonly resourceName?: string;
  readonly resourceDocumentation?: string;
}

export function metadataDocument(resource: string, fields: MetadataFields): ProtectedResourceMetadata {
  return {
    resource,
    // 2026-07-28 basic/authorization/authorization-server-discovery §Authorization Server Location: the document
    // MUST include authorization_servers with at least one authorization server.
    authorization_servers: fields.authorizationServers,
    ...(fields.scopesSupported !== undefined && fields.scopesSupported.length > 0
      ? { scopes_supported: fields.scopesSupported }
      : {}),
    bearer_methods_supported: ['header'],
    ...(fields.resourceName !== undefined ? { resource_name: fields.resourceName } : {}),
    ...(fields.resourceDocumentation !== undefined ? { resource_documentation: fields.resourceDocumentation } : {}),
  };
}

/** A runtime-neutral HTTP answer, written out by the node and fetch adapters. */
export interface SimpleResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Metadata is public and read by browser-based clients on other origins (the Inspector), which send
 * `MCP-Protocol-Version` and so preflight: any origin may read it, without credentials.
 */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': '*',
};

export function metadataResponse(method: string, document: ProtectedResourceMetadata | undefined): SimpleResponse {
  if (method === 'OPTIONS') return { status: 204, headers: { ...CORS, 'access-control-max-age': '86400' }, body: '' };
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...CORS, allow: 'GET, HEAD, OPTIONS' }, body: '' };
  }
  if (document === undefined) {
    return {
      status: 404,
      headers: { ...CORS, 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'no protected resource at this path' }),
    };
  }
  return {
    status: 200,
    headers: { ...CORS, 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
    body: method === 'HEAD' ? '' : JSON.stringify(document),
  };
}
