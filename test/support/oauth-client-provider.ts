import type { BrowserContext } from 'playwright-core';
import type { CallbackListener, SignInOptions } from './browser-sign-in.js';
import { signIn } from './browser-sign-in.js';

type Json = Record<string, unknown>;

/**
 * The OAuth side of an MCP client, as both official SDKs ask for it (`OAuthClientProvider`): it keeps its
 * registration, tokens and PKCE verifier in memory, and "redirects" the user by signing in with Chromium. With a
 * `clientMetadataUrl` the SDK uses a Client ID Metadata Document; without one, dynamic client registration.
 */
export class BrowserOAuthProvider {
  readonly redirectUrl: string;
  readonly clientMetadataUrl: string | undefined;
  /** Every authorization URL the SDK sent the user to. */
  readonly authorizations: URL[] = [];
  /** Every token set the SDK saved, in order. */
  readonly savedTokens: Json[] = [];
  #client: Json | undefined;
  #tokens: Json | undefined;
  #verifier = '';
  #discovery: unknown;
  #pending: Promise<URL> | undefined;
  readonly #context: BrowserContext;
  readonly #user: SignInOptions;
  readonly #listener: CallbackListener;

  constructor(options: {
    context: BrowserContext;
    user: SignInOptions;
    listener: CallbackListener;
    clientMetadataUrl?: string;
  }) {
    this.#context = options.context;
    this.#user = options.user;
    this.#listener = options.listener;
    this.redirectUrl = options.listener.url;
    this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get clientMetadata() {
    return {
      client_name: 'Switchboard E2E',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.#client as never;
  }
  saveClientInformation(information: Json) {
    this.#client = information;
  }
  tokens() {
    return this.#tokens as never;
  }
  saveTokens(tokens: Json) {
    this.#tokens = tokens;
    this.savedTokens.push(tokens);
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
  /** SDK v2 keeps the discovered authorization server here, to check the callback comes from the same one. */
  saveDiscoveryState(state: unknown) {
    this.#discovery = state;
  }
  discoveryState() {
    return this.#discovery as never;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'client') this.#client = undefined;
  }
  redirectToAuthorization(url: URL) {
    this.authorizations.push(url);
    this.#pending = signIn(this.#context, url.href, this.#listener, this.#user);
    // A test that fails before it reads the callback must not leave an unhandled rejection behind.
    this.#pending.catch(() => {});
  }

  /** Where the browser came back to after the last redirect (with `code`, `state` and `iss`). */
  async callback(): Promise<URL> {
    if (this.#pending === undefined) throw new Error('the SDK never sent the user to sign in');
    const url = await this.#pending;
    this.#pending = undefined;
    return url;
  }

  get accessToken(): string | undefined {
    return this.#tokens?.access_token as string | undefined;
  }
  get refreshToken(): string | undefined {
    return this.#tokens?.refresh_token as string | undefined;
  }
  get clientId(): string | undefined {
    return this.#client?.client_id as string | undefined;
  }
}
