import { AuthServerConfigError } from './errors.js';

/** An MCP server (an OAuth protected resource) this authorization server issues tokens for. */
export interface ResourceOptions {
  /**
   * Its canonical URI, exactly as its protected-resource metadata says (`resource`) and as clients send it in the
   * RFC 8707 `resource` parameter, e.g. `https://mcp.example.com/mcp`. Tokens carry it as `aud`.
   */
  uri: string;
  /** Scopes a client may ask for on it, e.g. `['leads:read', 'leads:write']`. */
  scopes?: string[];
  /** What each scope lets a client do, shown on the consent page (`{ 'leads:read': 'Read your leads' }`). */
  scopeDescriptions?: Record<string, string>;
  /** Lifetime of its access tokens in seconds (default: the server's `accessTokenTtlSeconds`). */
  accessTokenTtlSeconds?: number;
}

/** A resource as the provider configuration uses it. */
export interface ResolvedResource {
  readonly uri: string;
  readonly scopes: readonly string[];
  readonly accessTokenTtl?: number;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Checks the resources and indexes them by the URI and its normalised form (a client may send `https://x/` for
 * `https://x`). RFC 8707 §2: an absolute URI without a fragment.
 */
export function resolveResources(resources: readonly ResourceOptions[]): Map<string, ResolvedResource> {
  if (resources.length === 0) throw new AuthServerConfigError('At least one resource (an MCP server URI) is needed');
  const index = new Map<string, ResolvedResource>();
  for (const resource of resources) {
    const url = URL.parse(resource.uri);
    if (url === null || url.hash !== '' || resource.uri.includes('#')) {
      throw new AuthServerConfigError(`Resource "${resource.uri}" must be an absolute URI without a fragment`);
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new AuthServerConfigError(`Resource "${resource.uri}" must use https (http only on a loopback address)`);
    }
    for (const scope of resource.scopes ?? []) {
      if (!SCOPE_TOKEN.test(scope)) throw new AuthServerConfigError(`Scope "${scope}" is not a valid scope token`);
    }
    const ttl = resource.accessTokenTtlSeconds;
    if (ttl !== undefined && !(Number.isSafeInteger(ttl) && ttl > 0)) {
      throw new AuthServerConfigError('accessTokenTtlSeconds must be a positive whole number');
    }
    const resolved = { uri: resource.uri, scopes: [...(resource.scopes ?? [])], accessTokenTtl: ttl };
    index.set(resource.uri, resolved);
    index.set(url.href, resolved);
  }
  return index;
}

/** Every scope description of every resource, for the consent page. */
export function scopeDescriptions(resources: readonly ResourceOptions[]): Map<string, string> {
  return new Map(resources.flatMap((r) => Object.entries(r.scopeDescriptions ?? {})));
}
