import type { AuthInfo } from '../protocol/auth.js';
import { RegistrationError } from '../protocol/errors.js';
import type { AuthRequest } from '../transports/http/authenticate.js';
import { AuthChallenge } from '../transports/http/authenticate.js';
import { readBearerToken } from './bearer-token.js';
import { bearerChallenge } from './challenge.js';
import { challengeContextOf, rememberChallengeContext } from './challenge-context.js';
import type { ProtectedResourceMetadata } from './metadata.js';
import { metadataDocument } from './metadata.js';
import { pathOf, requestOrigin } from './public-url.js';
import { canonicalResource, checkResourceUri, checkSecureUrl, metadataUrlOf, PRM_WELL_KNOWN } from './resource-url.js';
import { hasScopes, isScopeToken, missingScopes } from './scopes.js';
import { TokenCache } from './token-cache.js';
import type { TokenVerifier, VerifyFunction } from './verifier.js';
import { InvalidTokenError, toVerifier } from './verifier.js';

/** The `auth` option of `server.listen()`, `createNodeHandler()` and `createFetchHandler()`. */
export interface AuthOptions {
  /** Issuer URL(s) of the authorization server(s) whose tokens this server accepts (RFC 9728 `authorization_servers`). */
  authorizationServers: string | readonly string[];
  /** Checks each bearer token: `jwtVerifier()`, `introspectionVerifier()`, a preset's, or your own function. */
  verifier: TokenVerifier | VerifyFunction;
  /**
   * The URL clients use for the MCP endpoint, e.g. `https://mcp.example.com/mcp`. Set it in production and behind
   * a proxy: it is the `resource` of the metadata and the audience tokens must name. Without it, it is derived from
   * each request (`Host`, plus `X-Forwarded-*` with `trustProxy`) and the path the endpoint is served at.
   */
  publicUrl?: string;
  /**
   * The canonical resource URI, when it is not the endpoint URL itself (e.g. `https://mcp.example.com` for an
   * endpoint at `/mcp`); the endpoint URL must start with it (default: the public URL).
   */
  resource?: string;
  /** Scopes advertised in the metadata (`scopes_supported`) and asked for in a first 401 when `requiredScopes` is empty. */
  scopesSupported?: readonly string[];
  /** Scopes every request needs, whatever it calls (default none); lacking them is a 403 `insufficient_scope`. */
  requiredScopes?: readonly string[];
  /**
   * How a scope is written where clients read it (challenges, metadata), when tokens carry a shorter name than
   * clients request: Entra ID tokens say `leads.read` for a client that asked for `api://…/leads.read`. Default: as is.
   */
  advertiseScope?: (scope: string) => string;
  /** Read `X-Forwarded-Proto` and `X-Forwarded-Host` to derive the public URL (default false: anyone could set them). */
  trustProxy?: boolean;
  /** Human-readable name of this server in the metadata (`resource_name`). */
  resourceName?: string;
  /** A page about this server for developers (`resource_documentation`). */
  resourceDocumentation?: string;
  /** Most verified tokens kept (default 10,000); 0 verifies every request afresh. */
  maxCachedTokens?: number;
}

/** Whether a URL's query might hold `access_token`; such requests always take the full check. */
function mayCarryToken(url: string): boolean {
  return url.includes('access_token');
}

/** The resource a request addresses and where its metadata lives. */
interface Endpoint {
  readonly resource: string;
  readonly metadataUrl: string;
}

/** Most derived endpoints remembered (hosts × paths); past it the memory starts over. */
const MAX_DERIVED = 64;

/** Most distinct endpoint paths remembered for serving their metadata (one per place the handler is mounted). */
const MAX_ENDPOINT_PATHS = 16;

/**
 * The resource-server side of OAuth 2.1 for one MCP endpoint: reads and verifies bearer tokens, answers with RFC 6750
 * challenges that point at the RFC 9728 metadata, and serves that metadata.
 */
export class ResourceServer {
  readonly #verifier: TokenVerifier;
  readonly #cache: TokenCache;
  readonly #options: AuthOptions;
  readonly #authorizationServers: readonly string[];
  readonly #publicUrl: string | undefined;
  /** The endpoint when `publicUrl` fixes it; otherwise endpoints are derived per request and remembered. */
  readonly #fixed: Endpoint | undefined;
  readonly #derived = new Map<string, Endpoint>();
  readonly #challengeScopes: readonly string[];
  readonly #requiredScopes: readonly string[];
  readonly #advertise: (scope: string) => string;
  readonly #knownScopes: readonly string[];
  /** Paths the endpoint has been reached at, whose path-suffixed metadata URL is therefore answered. */
  readonly #endpointPaths = new Set<string>();

  constructor(options: AuthOptions, endpointPath = '/mcp') {
    this.#options = options;
    this.#verifier = toVerifier(options.verifier);
    this.#cache = new TokenCache(options.maxCachedTokens);
    const servers =
      typeof options.authorizationServers === 'string' ? [options.authorizationServers] : options.authorizationServers;
    if (servers.length === 0) throw new RegistrationError('auth.authorizationServers must name at least one issuer');
    for (const issuer of servers) checkSecureUrl(issuer, 'auth.authorizationServers');
    this.#authorizationServers = [...servers];
    this.#publicUrl = options.publicUrl === undefined ? undefined : checkResourceUri(options.publicUrl, 'publicUrl');
    if (options.resource !== undefined) checkResourceUri(options.resource, 'resource');
    for (const scope of [...(options.scopesSupported ?? []), ...(options.requiredScopes ?? [])]) {
      if (!isScopeToken(scope)) throw new RegistrationError(`auth: "${scope}" is not a valid scope (RFC 6749 §3.3)`);
    }
    this.#requiredScopes = options.requiredScopes ?? [];
    this.#advertise = options.advertiseScope ?? ((scope) => scope);
    this.#knownScopes = [...(options.scopesSupported ?? []), ...this.#requiredScopes];
    const first = this.#requiredScopes.length > 0 ? this.#requiredScopes : (options.scopesSupported ?? []);
    this.#challengeScopes = first.map(this.#advertise);
    this.#fixed = this.#publicUrl === undefined ? undefined : this.#endpoint(this.#publicUrl);
    this.#endpointPaths.add(this.#publicUrl === undefined ? endpointPath : new URL(this.#publicUrl).pathname);
    // RFC 9728 §3.3: a resource that is not the endpoint URL has its metadata under its own path.
    if (options.resource !== undefined) this.#endpointPaths.add(new URL(options.resource).pathname);
  }

  /**
   * Authenticates one request to the MCP endpoint: the caller's identity, or the refusal to answer with.
   * Rejects (answered 500 and logged) only when the verifier cannot decide, e.g. its authorization server is down.
   */
  readonly authenticate = async (request: AuthRequest): Promise<AuthInfo | AuthChallenge> => {
    const endpoint = this.#endpointOf(request, pathOf(request.url));
    if (endpoint === undefined)
      return this.#refuse(undefined, 'invalid_request', 'the Host header is missing or invalid');
    const { resource, metadataUrl } = endpoint;
    const authorization = request.header('authorization');
    // Fast path: credentials verified before (their form was checked then) for this resource, in a clean URL.
    const key = authorization === undefined ? undefined : this.#cache.key(authorization, resource);
    let auth = key === undefined || mayCarryToken(request.url) ? undefined : this.#cache.get(key);
    if (auth === undefined) {
      const credentials = readBearerToken(authorization, request.url);
      // RFC 6750 §3.1: a request without credentials gets a challenge with no error code.
      if (credentials.kind === 'none') return this.#refuse(metadataUrl, undefined, 'authorization required');
      if (credentials.kind === 'refused') return this.#refuse(metadataUrl, 'invalid_request', credentials.reason);
      try {
        auth = await this.#verifier.verify(credentials.token, { resource });
      } catch (error) {
        if (error instanceof InvalidTokenError) return this.#refuse(metadataUrl, 'invalid_token', error.message);
        throw error;
      }
      this.#cache.set(key as string, auth, this.#verifier.maxCacheMs ?? Number.POSITIVE_INFINITY);
      rememberChallengeContext(auth, {
        resourceMetadata: metadataUrl,
        requiredScopes: this.#requiredScopes,
        knownScopes: this.#knownScopes,
        advertise: this.#advertise,
      });
    }
    if (!hasScopes(auth.scopes, this.#requiredScopes)) return this.#insufficientScope(auth);
    return auth;
  };

  /** The 403 for a caller whose token lacks some of the endpoint's required scopes. */
  #insufficientScope(auth: AuthInfo): AuthChallenge {
    const missing = missingScopes(auth.scopes, this.#requiredScopes);
    const challenge = bearerChallenge({
      error: 'insufficient_scope',
      scope: this.#requiredScopes.map(this.#advertise),
      resourceMetadata: challengeContextOf(auth)?.resourceMetadata ?? this.#staticMetadataUrl(),
      errorDescription: `this server needs scope ${missing.join(' ')}`,
    });
    return new AuthChallenge(403, challenge, `Forbidden: this server needs scope ${missing.join(' ')}`);
  }

  /**
   * The metadata document for a request to a metadata URL: the path-suffixed one of an endpoint this server
   * serves (RFC 9728 §3.1) or the root one (2026-07-28 authorization-server-discovery §Protected Resource Metadata
   * Discovery Requirements), whose resource is the first endpoint. Undefined for any other path.
   */
  metadataFor(request: AuthRequest): ProtectedResourceMetadata | undefined {
    const path = pathOf(request.url);
    if (!path.startsWith(PRM_WELL_KNOWN)) return undefined;
    const suffix = path.slice(PRM_WELL_KNOWN.length);
    const endpoint = suffix === '' || suffix === '/' ? this.#endpointPaths.values().next().value : this.#known(suffix);
    if (endpoint === undefined) return undefined;
    const resolved = this.#endpointOf(request, endpoint);
    if (resolved === undefined) return undefined;
    return metadataDocument(resolved.resource, {
      authorizationServers: this.#authorizationServers,
      scopesSupported: this.#options.scopesSupported?.map(this.#advertise),
      resourceName: this.#options.resourceName,
      resourceDocumentation: this.#options.resourceDocumentation,
    });
  }

  /** The configured public URL of the endpoint; undefined when it is derived from each request. */
  get publicUrl(): string | undefined {
    return this.#publicUrl;
  }

  /**
   * The paths metadata is answered at, for mounting: the root and each endpoint's path-suffixed one, with and
   * without a trailing slash (clients differ in how they build it from an endpoint URL).
   */
  get metadataPaths(): string[] {
    const paths = [PRM_WELL_KNOWN];
    for (const path of this.#endpointPaths) {
      const bare = path.replace(/\/+$/, '');
      if (bare !== '') paths.push(`${PRM_WELL_KNOWN}${bare}`, `${PRM_WELL_KNOWN}${bare}/`);
    }
    return [...new Set(paths)];
  }

  /** The endpoint path a metadata suffix names, with or without a trailing slash. */
  #known(suffix: string): string | undefined {
    const other = suffix.endsWith('/') ? suffix.slice(0, -1) : `${suffix}/`;
    if (this.#endpointPaths.has(suffix)) return suffix;
    return this.#endpointPaths.has(other) ? other : undefined;
  }

  /**
   * The resource a request reached and its metadata URL. Derived ones are remembered by scheme, host and path
   * (a handful per deployment), so a request costs no URL parsing.
   */
  #endpointOf(request: AuthRequest, endpointPath: string): Endpoint | undefined {
    if (this.#fixed !== undefined) return this.#fixed;
    const origin = requestOrigin(request, this.#options.trustProxy === true);
    if (origin === undefined) return undefined;
    const key = `${origin}${endpointPath}`;
    let endpoint = this.#derived.get(key);
    if (endpoint === undefined) {
      if (this.#endpointPaths.size < MAX_ENDPOINT_PATHS) this.#endpointPaths.add(endpointPath);
      if (this.#derived.size >= MAX_DERIVED) this.#derived.clear();
      let normalized: string;
      try {
        normalized = new URL(origin).origin;
      } catch {
        return undefined; // a port past 65535 and the like
      }
      endpoint = this.#endpoint(`${normalized}${endpointPath === '/' ? '' : endpointPath}`);
      this.#derived.set(key, endpoint);
    }
    return endpoint;
  }

  #endpoint(publicUrl: string): Endpoint {
    const resource = this.#options.resource ?? canonicalResource(publicUrl);
    return { resource, metadataUrl: metadataUrlOf(this.#options.resource ?? publicUrl) };
  }

  #staticMetadataUrl(): string | undefined {
    const resource = this.#options.resource ?? this.#publicUrl;
    return resource === undefined ? undefined : metadataUrlOf(resource);
  }

  /**
   * RFC 6750 §3.1: a malformed request (`invalid_request`: a token in the query string, an empty or repeated
   * Bearer credential, no usable Host) is 400; no credentials or a bad token is 401.
   */
  #refuse(
    resourceMetadata: string | undefined,
    error: 'invalid_request' | 'invalid_token' | undefined,
    message: string,
  ): AuthChallenge {
    const malformed = error === 'invalid_request';
    const scope = malformed ? undefined : this.#challengeScopes;
    const challenge = bearerChallenge({ resourceMetadata, scope, error, errorDescription: error && message });
    return malformed
      ? new AuthChallenge(400, challenge, `Bad Request: ${message}`)
      : new AuthChallenge(401, challenge, `Unauthorized: ${message}`);
  }
}
