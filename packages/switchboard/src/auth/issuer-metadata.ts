import type { AuthorizationServer } from 'oauth4webapi';
import * as oauth from 'oauth4webapi';
import { checkSecureUrl, isLoopback } from './resource-url.js';
import { AuthUnavailableError } from './verifier.js';

/** How long a metadata, JWKS or introspection request to an authorization server may take. */
export const AS_REQUEST_TIMEOUT_MS = 5_000;

/** Options every request to an authorization server takes: a timeout, and plain http only on loopback. */
export function requestOptions(
  url: URL,
): oauth.HttpRequestOptions<'GET'> & oauth.HttpRequestOptions<'POST', URLSearchParams> {
  return {
    signal: () => AbortSignal.timeout(AS_REQUEST_TIMEOUT_MS),
    ...(url.protocol === 'http:' && isLoopback(url) ? { [oauth.allowInsecureRequests]: true } : {}),
  };
}

/**
 * Fetches an authorization server's metadata the way MCP clients do: RFC 8414 first, then OpenID Connect Discovery
 * (2026-07-28 basic/authorization/authorization-server-discovery §Authorization Server Metadata Discovery). The
 * document's `issuer` MUST be identical to the issuer asked for (RFC 8414 §3.3); oauth4webapi enforces it.
 */
export async function discoverIssuer(issuer: string): Promise<AuthorizationServer> {
  const url = checkSecureUrl(issuer, 'the issuer');
  const failures: string[] = [];
  for (const algorithm of ['oauth2', 'oidc'] as const) {
    try {
      const response = await oauth.discoveryRequest(url, { ...requestOptions(url), algorithm });
      return await oauth.processDiscoveryResponse(url, response);
    } catch (error) {
      failures.push(`${algorithm === 'oauth2' ? 'RFC 8414' : 'OpenID Connect'}: ${(error as Error).message}`);
    }
  }
  throw new AuthUnavailableError(`could not discover the metadata of issuer ${issuer} (${failures.join('; ')})`);
}

/**
 * One issuer's metadata, fetched on first use and kept. A failed discovery is not kept: the next request tries
 * again, and concurrent requests share one attempt.
 */
export class IssuerMetadata {
  readonly issuer: string;
  #metadata: AuthorizationServer | undefined;
  #pending: Promise<AuthorizationServer> | undefined;

  constructor(issuer: string, metadata?: AuthorizationServer) {
    this.issuer = issuer;
    this.#metadata = metadata;
  }

  get(): Promise<AuthorizationServer> {
    if (this.#metadata !== undefined) return Promise.resolve(this.#metadata);
    this.#pending ??= discoverIssuer(this.issuer).then(
      (metadata) => {
        this.#metadata = metadata;
        this.#pending = undefined;
        return metadata;
      },
      (error: unknown) => {
        this.#pending = undefined;
        throw error;
      },
    );
    return this.#pending;
  }
}
