import * as oauth from 'oauth4webapi';
import type { Discovery } from './discovery.js';
import { challengeOf, describe, discover, probe } from './discovery.js';
import { OAuthClientError } from './errors.js';
import { serverOptions } from './http-options.js';
import { awaitRedirect, listenForRedirect } from './loopback-listener.js';
import { openBrowser } from './open-browser.js';
import type { RegistrationOptions } from './registration.js';
import { chooseClient, clientAuthentication } from './registration.js';
import type { CachedLogin } from './token-cache.js';
import { TokenCache } from './token-cache.js';
import { cachedTokens } from './token-response.js';

/** Options of {@link login}. */
export interface LoginOptions extends RegistrationOptions {
  /** Scopes to ask for instead of the ones the server's challenge names. */
  scope?: string[];
  /** Where tokens are kept (default: the user's config folder). */
  cache?: TokenCache;
  /** Open the browser (default true); the URL is printed either way. */
  openBrowser?: boolean;
  /** How long to wait for the user to finish in the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Where progress lines go (default stderr: stdout may be a protocol stream). */
  print?: (line: string) => void;
  /** The 401 or 403 that asked for this sign-in, when there is one; otherwise the server is probed. */
  challengeResponse?: Response;
}

/** Signed in, or the server asks for no token at all. */
export type LoginResult = { status: 'signed-in'; login: CachedLogin } | { status: 'open'; httpStatus: number };

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * Signs the user in to a protected MCP server with the OAuth 2.1 authorization code flow, as MCP authorization
 * asks of clients: discovery from the 401, a registered client, PKCE S256, the RFC 8707 `resource` in both the
 * authorization and token requests, the authorization response checked for `state` and the RFC 9207 `iss`, and
 * the tokens saved in the cache under the server's URL.
 */
export async function login(resourceUrl: string, options: LoginOptions = {}): Promise<LoginResult> {
  const cache = options.cache ?? new TokenCache();
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const answer = options.challengeResponse ?? (await probe(new URL(resourceUrl)).catch(unreachable(resourceUrl)));
  if (answer.status !== 401 && answer.status !== 403) return { status: 'open', httpStatus: answer.status };
  const discovery = await discover(resourceUrl, challengeOf(answer));
  const previous = cache.get(resourceUrl);
  const listener = await listenForRedirect(portOf(previous?.client.redirect_uri));
  try {
    const registered = await chooseClient(discovery.authorizationServer, listener.redirectUri, options, previous);
    const { url, state, verifier } = await authorizationRequest(
      discovery,
      registered.client.client_id,
      listener.redirectUri,
      options.scope,
    );
    print(`Sign in to ${discovery.resource} in your browser. If it does not open, visit:`);
    print(`  ${url.href}`);
    if (options.openBrowser !== false) openBrowser(url.href);
    const callback = await awaitRedirect(listener, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const as = discovery.authorizationServer;
    const client: oauth.Client = { client_id: registered.client.client_id };
    let parameters: URLSearchParams;
    try {
      // Checks `state`, and `iss` against the issuer (RFC 9207 §2.4) whenever the server sends or promises one.
      parameters = oauth.validateAuthResponse(as, client, callback.searchParams, state);
    } catch (error) {
      throw new OAuthClientError(`the sign-in was not completed: ${describe(error)}`, { cause: error });
    }
    const tokens = await redeem(discovery, registered.client, parameters, listener.redirectUri, verifier);
    const saved: CachedLogin = {
      resource: discovery.resource,
      authorizationServer: as,
      client: { ...registered.client, redirect_uri: listener.redirectUri },
      registration: registered.registration,
      tokens,
      signed_in_at: Date.now(),
    };
    cache.set(saved);
    return { status: 'signed-in', login: saved };
  } finally {
    await listener.close();
  }
}

async function authorizationRequest(
  discovery: Discovery,
  clientId: string,
  redirectUri: string,
  scope: string[] | undefined,
): Promise<{ url: URL; state: string; verifier: string }> {
  const endpoint = discovery.authorizationServer.authorization_endpoint;
  if (endpoint === undefined) {
    throw new OAuthClientError(
      `the authorization server ${discovery.authorizationServer.issuer} has no authorization_endpoint`,
    );
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(endpoint);
  const scopes = scope ?? discovery.scope;
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    // RFC 8707 §2: the token is for this server and no other (MCP authorization §Resource Parameter Implementation).
    resource: discovery.resource,
    ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
  }).toString();
  return { url, state, verifier };
}

async function redeem(
  discovery: Discovery,
  client: CachedLogin['client'],
  parameters: URLSearchParams,
  redirectUri: string,
  verifier: string,
) {
  const as = discovery.authorizationServer;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      { client_id: client.client_id },
      clientAuthentication(client),
      parameters,
      redirectUri,
      verifier,
      { additionalParameters: { resource: discovery.resource }, ...serverOptions(as) },
    );
    return cachedTokens(await oauth.processAuthorizationCodeResponse(as, { client_id: client.client_id }, response));
  } catch (error) {
    throw new OAuthClientError(`the token endpoint ${as.token_endpoint} refused the code: ${describe(error)}`, {
      cause: error,
    });
  }
}

function portOf(redirectUri: string | undefined): number {
  if (redirectUri === undefined) return 0;
  return Number(new URL(redirectUri).port) || 0;
}

function unreachable(url: string) {
  return (error: unknown): never => {
    throw new OAuthClientError(`cannot reach ${url}: ${describe(error)}`, { cause: error });
  };
}
