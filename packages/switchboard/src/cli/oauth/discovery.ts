import * as oauth from 'oauth4webapi';
import type { BearerChallenge } from './challenge.js';
import { parseBearerChallenge } from './challenge.js';
import { OAuthClientError } from './errors.js';
import { requestOptions } from './http-options.js';

/** What a client learns about a protected MCP server before it can ask a user to sign in. */
export interface Discovery {
  /** The MCP server's URL, the RFC 8707 resource indicator tokens are asked for. */
  readonly resource: string;
  /** RFC 9728 Protected Resource Metadata. */
  readonly protectedResource: oauth.ResourceServer;
  /** RFC 8414 metadata of the first authorization server the resource names. */
  readonly authorizationServer: oauth.AuthorizationServer;
  /** The scopes to ask for: the challenge's, else the resource's `scopes_supported` (MCP scope selection). */
  readonly scope: string[];
  /** The Bearer challenge of the 401 that started it, if there was one. */
  readonly challenge: BearerChallenge | undefined;
}

/** An unauthenticated request to the MCP endpoint: a protected server answers it with 401 and a challenge. */
export async function probe(resource: URL, fetchImpl: typeof fetch = fetch): Promise<Response> {
  return fetchImpl(resource, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
}

/**
 * Follows the chain from a 401 to the authorization server: the challenge's `resource_metadata` (or the RFC 9728
 * well-known URIs, path form first), the metadata's `resource` checked against the URL, then the authorization
 * server's RFC 8414 metadata with its `issuer` matched exactly (RFC 8414 §3.3) and PKCE S256 required.
 */
export async function discover(resourceUrl: string, challenge: BearerChallenge | undefined): Promise<Discovery> {
  const resource = new URL(resourceUrl);
  const protectedResource = await fetchProtectedResource(resource, challenge?.resourceMetadata);
  const issuer = protectedResource.authorization_servers?.[0];
  if (issuer === undefined) {
    throw new OAuthClientError(
      `${resource.href}'s protected resource metadata names no authorization_servers: the server must list the authorization server that issues its tokens`,
    );
  }
  const authorizationServer = await fetchAuthorizationServer(new URL(issuer));
  // MCP 2025-11-25 authorization §Authorization Code Protection: clients MUST refuse when S256 is not advertised.
  if (!authorizationServer.code_challenge_methods_supported?.includes('S256')) {
    throw new OAuthClientError(
      `the authorization server ${issuer} does not advertise PKCE S256 (code_challenge_methods_supported), so it cannot be used safely`,
    );
  }
  const scope = challenge?.scope ?? protectedResource.scopes_supported ?? [];
  return { resource: resource.href, protectedResource, authorizationServer, scope: [...scope], challenge };
}

/** The challenge of a response, when it is a Bearer 401 or 403. */
export function challengeOf(response: Response): BearerChallenge | undefined {
  return parseBearerChallenge(response.headers.get('www-authenticate'));
}

async function fetchProtectedResource(resource: URL, advertised: string | undefined): Promise<oauth.ResourceServer> {
  const candidates = advertised !== undefined ? [new URL(advertised, resource)] : wellKnownResourceUrls(resource);
  let last = '';
  for (const candidate of candidates) {
    const response = await fetch(candidate, { headers: { accept: 'application/json' } }).catch((error: unknown) => {
      throw new OAuthClientError(
        `cannot fetch the protected resource metadata at ${candidate.href}: ${describe(error)}`,
      );
    });
    if (response.status === 404 && advertised === undefined) {
      last = `${candidate.href} answered 404`;
      continue;
    }
    try {
      return await oauth.processResourceDiscoveryResponse(resource, response);
    } catch (error) {
      throw new OAuthClientError(
        `the protected resource metadata at ${candidate.href} is not usable: ${describe(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  throw new OAuthClientError(
    `${resource.href} has no protected resource metadata (${last}); a protected MCP server must serve RFC 9728 metadata and name it in its 401's resource_metadata`,
  );
}

/** RFC 9728 §3.1: the well-known suffix inserted before the resource's path, then at the root. */
export function wellKnownResourceUrls(resource: URL): URL[] {
  const path = resource.pathname === '/' ? '' : resource.pathname.replace(/\/$/, '');
  const root = new URL('/.well-known/oauth-protected-resource', resource);
  return path === '' ? [root] : [new URL(`/.well-known/oauth-protected-resource${path}`, resource), root];
}

async function fetchAuthorizationServer(issuer: URL): Promise<oauth.AuthorizationServer> {
  // MCP authorization §Authorization Server Metadata Discovery: RFC 8414 first, then OpenID Connect Discovery.
  let lastError: unknown;
  for (const algorithm of ['oauth2', 'oidc'] as const) {
    try {
      const response = await oauth.discoveryRequest(issuer, { algorithm, ...requestOptions(issuer) });
      if (response.status === 404) {
        lastError = new Error(`${algorithm === 'oauth2' ? 'RFC 8414' : 'OpenID'} metadata answered 404`);
        continue;
      }
      return await oauth.processDiscoveryResponse(issuer, response);
    } catch (error) {
      lastError = error;
      if (!(error instanceof Error && /404/.test(error.message))) break;
    }
  }
  throw new OAuthClientError(`cannot use the authorization server ${issuer.href}: ${describe(lastError)}`, {
    cause: lastError,
  });
}

/** One line for an error from fetch or oauth4webapi, with the underlying cause when there is one. */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
