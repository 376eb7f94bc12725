import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Queryable } from '../../../sql/database.js';
import type { TokenVault, UpstreamTokens } from './token-vault.js';

/** Proxy mode: the upstream identity provider the built-in server signs users in with (GitHub, Google, ...). */
export interface UpstreamProviderOptions {
  /** Its issuer; its metadata is discovered (OpenID Connect Discovery, or RFC 8414 with `discovery: 'oauth2'`). */
  issuer: string;
  discovery?: 'oidc' | 'oauth2';
  /** The client registered for this server at the upstream provider; its redirect URI is `{issuer}/oauth/upstream/callback`. */
  clientId: string;
  /** Its secret (sent with client_secret_basic); omit for a public client. */
  clientSecret?: string;
  /** Scopes asked of the upstream provider (default `openid profile email`). */
  scopes?: string[];
  /** 32 bytes (base64url, base64 or hex) that encrypt the stored upstream tokens. Keep it out of the database. */
  tokenEncryptionKey: string | Buffer;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const STATE_TTL_SECONDS = 10 * 60;

/**
 * Signs users in at the upstream provider as an OAuth client of it (authorization code, PKCE S256, state and nonce),
 * then lets the built-in server show its own consent and issue its own tokens. The upstream tokens are sealed in
 * the database and never leave the server: MCP clients only ever see tokens this server signed.
 */
export class UpstreamLogin {
  readonly #options: UpstreamProviderOptions;
  readonly #db: Queryable;
  readonly #vault: TokenVault;
  readonly #callbackUrl: string;
  readonly #logger: Logger;
  readonly #client: oauth.Client;
  readonly #auth: oauth.ClientAuth;
  readonly #insecure: boolean;
  #metadata: Promise<{ as: oauth.AuthorizationServer; jwks?: ReturnType<typeof createRemoteJWKSet> }> | undefined;

  constructor(options: UpstreamProviderOptions, db: Queryable, vault: TokenVault, callbackUrl: string, logger: Logger) {
    this.#options = options;
    this.#db = db;
    this.#vault = vault;
    this.#callbackUrl = callbackUrl;
    this.#logger = logger;
    this.#client = { client_id: options.clientId };
    this.#auth = options.clientSecret === undefined ? oauth.None() : oauth.ClientSecretBasic(options.clientSecret);
    const url = new URL(options.issuer);
    this.#insecure = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  }

  /** The upstream metadata, discovered once (again after a failure). */
  #discover() {
    this.#metadata ??= (async () => {
      const issuer = new URL(this.#options.issuer);
      const algorithm = this.#options.discovery ?? 'oidc';
      const response = await oauth.discoveryRequest(issuer, {
        algorithm,
        [oauth.allowInsecureRequests]: this.#insecure,
      });
      const as = await oauth.processDiscoveryResponse(issuer, response);
      const jwks = as.jwks_uri ? createRemoteJWKSet(new URL(as.jwks_uri)) : undefined;
      return { as, jwks };
    })().catch((error: unknown) => {
      this.#metadata = undefined;
      throw error;
    });
    return this.#metadata;
  }

  /** Sends the browser to the upstream provider for the sign-in step of `details`. */
  async begin(_req: IncomingMessage, res: ServerResponse, details: Details): Promise<void> {
    const { as } = await this.#discover();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const verifier = oauth.generateRandomCodeVerifier();
    await this.#db.query(
      `INSERT INTO auth_upstream_states (state, interaction_uid, code_verifier, nonce, expires_at)
       VALUES ($1, $2, $3, $4, now() + $5 * interval '1 second')`,
      [state, details.uid, verifier, nonce, STATE_TTL_SECONDS],
    );
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.#options.clientId,
      redirect_uri: this.#callbackUrl,
      scope: (this.#options.scopes ?? ['openid', 'profile', 'email']).join(' '),
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    res.writeHead(303, { location: url.href, 'cache-control': 'no-store' }).end();
  }

  /**
   * The upstream callback: the state is used once (deleted as it is read, so a replayed callback finds nothing),
   * the response checked (state, RFC 9207 `iss`), the code exchanged, the ID token's signature checked against the
   * upstream JWKS, and the interaction finished with the local account.
   */
  async callback(req: IncomingMessage, res: ServerResponse, provider: Provider): Promise<'finished' | 'unknown-state'> {
    const current = new URL(req.url ?? '/', this.#callbackUrl);
    const stateParam = current.searchParams.get('state') ?? '';
    const { rows } = await this.#db.query<{ interaction_uid: string; code_verifier: string; nonce: string }>(
      'DELETE FROM auth_upstream_states WHERE state = $1 AND expires_at > now() RETURNING interaction_uid, code_verifier, nonce',
      [stateParam],
    );
    const saved = rows[0];
    if (saved === undefined) return 'unknown-state';
    // The state must come back to the browser that started it: its interaction cookie names the same sign-in.
    const details = await provider.interactionDetails(req, res).catch(() => undefined);
    if (details?.uid !== saved.interaction_uid) return 'unknown-state';
    const { as, jwks } = await this.#discover();
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, this.#client, current, stateParam);
    } catch (error) {
      const description = error instanceof oauth.AuthorizationResponseError ? error.error : 'upstream sign-in failed';
      this.#logger.info({ err: error }, 'upstream sign-in refused');
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: description });
      return 'finished';
    }
    const options = { [oauth.allowInsecureRequests]: this.#insecure };
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      this.#client,
      this.#auth,
      params,
      this.#callbackUrl,
      saved.code_verifier,
      options,
    );
    const result = await oauth.processAuthorizationCodeResponse(as, this.#client, response, {
      expectedNonce: saved.nonce,
      requireIdToken: false,
    });
    const identity = await this.#identity(as, jwks, result);
    const accountId = await this.#account(identity.subject, identity.username);
    await this.#vault.store(accountId, tokensFrom(result));
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId, amr: ['fed'] } },
      { mergeWithLastSubmission: false },
    );
    return 'finished';
  }

  async #identity(
    as: oauth.AuthorizationServer,
    jwks: ReturnType<typeof createRemoteJWKSet> | undefined,
    result: oauth.TokenEndpointResponse,
  ): Promise<{ subject: string; username?: string }> {
    if (result.id_token && jwks) {
      // oauth4webapi checks the ID token's claims; its signature is checked here against the upstream JWKS.
      const { payload } = await jwtVerify(result.id_token, jwks, {
        issuer: as.issuer,
        audience: this.#options.clientId,
      });
      const name = payload.preferred_username ?? payload.email ?? payload.name;
      return { subject: String(payload.sub), username: typeof name === 'string' ? name : undefined };
    }
    const response = await oauth.userInfoRequest(as, this.#client, result.access_token, {
      [oauth.allowInsecureRequests]: this.#insecure,
    });
    const info = await oauth.processUserInfoResponse(as, this.#client, oauth.skipSubjectCheck, response);
    const name = info.preferred_username ?? info.email ?? info.name;
    return { subject: String(info.sub), username: typeof name === 'string' ? name : undefined };
  }

  async #account(subject: string, username: string | undefined): Promise<string> {
    const { rows } = await this.#db.query<{ id: string }>(
      `INSERT INTO auth_upstream_accounts (id, issuer, subject, username) VALUES ($1, $2, $3, $4)
       ON CONFLICT (issuer, subject) DO UPDATE SET username = EXCLUDED.username RETURNING id`,
      [randomUUID(), this.#options.issuer, subject, username ?? null],
    );
    return rows[0]!.id;
  }

  /**
   * The upstream access token of a local account (a token's `sub`), refreshed with the upstream refresh token when
   * it is about to expire; undefined when the account has none.
   */
  async accessToken(accountId: string): Promise<string | undefined> {
    const tokens = await this.#vault.load(accountId);
    if (tokens === undefined) return undefined;
    const fresh = tokens.expiresAt === undefined || tokens.expiresAt > Date.now() / 1000 + 30;
    if (fresh || tokens.refreshToken === undefined) return tokens.accessToken;
    const { as } = await this.#discover();
    const response = await oauth.refreshTokenGrantRequest(as, this.#client, this.#auth, tokens.refreshToken, {
      [oauth.allowInsecureRequests]: this.#insecure,
    });
    const result = await oauth.processRefreshTokenResponse(as, this.#client, response);
    const next = { ...tokensFrom(result), refreshToken: result.refresh_token ?? tokens.refreshToken };
    await this.#vault.store(accountId, next);
    return next.accessToken;
  }
}

function tokensFrom(result: oauth.TokenEndpointResponse): UpstreamTokens {
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    expiresAt: result.expires_in === undefined ? undefined : Math.floor(Date.now() / 1000) + result.expires_in,
    scope: result.scope,
    tokenType: result.token_type,
  };
}

/** The username of an upstream account, for the consent page and the `preferred_username` claim. */
export async function findUpstreamAccount(db: Queryable, id: string): Promise<{ username: string } | undefined> {
  const { rows } = await db.query<{ username: string | null; subject: string }>(
    'SELECT username, subject FROM auth_upstream_accounts WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row && { username: row.username ?? row.subject };
}
