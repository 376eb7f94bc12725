import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { createLogger } from '../../logger.js';
import type { Database } from '../../sql/database.js';
import { openDatabase } from '../../sql/database.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { AuthServerConfigError } from './errors.js';
import { BrowserGuard } from './interactions/browser-guard.js';
import { createInteractionRoutes } from './interactions/interaction-routes.js';
import { isAccessTokenActive } from './issued-access-tokens.js';
import { migrateAuthServer } from './migrate-auth-server.js';
import type { Layout } from './mount.js';
import { clientAddress, innerPath, layoutFor, ownedPaths, rewriteForProvider, sendOAuthError } from './mount.js';
import type { AuthorizationServerOptions } from './options.js';
import { createOutboundFetch } from './outbound-fetch.js';
import { sendPage } from './pages/html.js';
import { errorBody } from './pages/views.js';
import type { ProviderSettings } from './provider-config.js';
import { providerConfiguration } from './provider-config.js';
import { resolveResources, scopeDescriptions } from './resources.js';
import { sharedSecret } from './secrets.js';
import type { RotateOptions } from './signing-keys.js';
import { loadSigningKeys, retireSigningKeys, rotateSigningKey } from './signing-keys.js';
import { deleteExpired } from './sql-adapter.js';
import { encryptionKey, TokenVault } from './upstream/token-vault.js';
import { findUpstreamAccount, UpstreamLogin } from './upstream/upstream-login.js';
import { ensureDemoUser, findUser } from './users.js';

/** What a resource server needs to verify this server's access tokens (RFC 9068 JWTs). */
export interface AccessTokenVerification {
  /** Expected `iss`, exactly. */
  readonly issuer: string;
  /** Where the public keys are (also `jwks_uri` in the metadata). */
  readonly jwksUri: string;
  /** Expected `typ` header. */
  readonly typ: 'at+jwt';
  /** Algorithms the tokens may be signed with. */
  readonly algorithms: readonly string[];
  /** The `aud` of each resource's tokens. */
  readonly audiences: readonly string[];
}

/** A running built-in authorization server. */
export interface AuthorizationServer {
  /** The issuer identifier, exactly as configured. */
  readonly issuer: string;
  /** RFC 8414 metadata URL. */
  readonly metadataUrl: string;
  /** The paths it answers (exact paths, and prefixes ending in `/`), for mounting beside an MCP endpoint. */
  readonly paths: readonly string[];
  /** Whether a request path belongs to the authorization server. */
  handles(pathname: string): boolean;
  /**
   * The Node `(req, res)` handler for those paths; give it the raw request (before any body parser). It answers 404
   * for a path it does not own.
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The database it keeps its state in (for `addUser` and friends). */
  readonly database: Database;
  /** How resource servers verify its tokens. */
  readonly accessTokens: AccessTokenVerification;
  /**
   * Whether an access token (by its `jti`) is still good: unexpired, and its grant not revoked (by a reused code or
   * refresh token, or the refresh token's revocation). `builtInAuthServer()` asks this for each token it verifies.
   */
  isAccessTokenActive(jti: string): Promise<boolean>;
  /** The published public keys (the same document as `jwks_uri`). */
  jwks(): JSONWebKeySet;
  /** Adds a signing key (see {@link rotateSigningKey}) and uses it here; other instances within `keyRefreshSeconds`. */
  rotateSigningKey(options?: RotateOptions): Promise<string>;
  /** Re-reads signing keys from the database now (it also does so every `keyRefreshSeconds`). */
  reloadKeys(): Promise<void>;
  /** Retires keys that stopped signing more than an access-token lifetime ago; returns their kids. */
  retireOldKeys(): Promise<string[]>;
  /**
   * Proxy mode: the upstream provider's access token for a user (a token's `sub`), refreshed when it is about to
   * expire; undefined without proxy mode or for a user who never signed in upstream. Never give it to MCP clients.
   */
  upstreamAccessToken(subject: string): Promise<string | undefined>;
  /** Stops background work and closes the database it opened itself. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkIssuer(issuer: string): URL {
  const url = URL.parse(issuer);
  // RFC 8414 §2: an https URL with no query or fragment.
  if (url === null || url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    throw new AuthServerConfigError(`Issuer "${issuer}" must be an absolute URL without query or fragment`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new AuthServerConfigError(`Issuer "${issuer}" must use https (http only on a loopback address)`);
  }
  if (issuer.endsWith('/')) throw new AuthServerConfigError(`Issuer "${issuer}" must not end with a slash`);
  return url;
}

/**
 * Starts the built-in OAuth 2.1 authorization server (oidc-provider with an MCP profile) on a database: creates its
 * tables, its first signing key and its secrets when missing. Mount `handler` beside the MCP endpoint (same origin
 * as the issuer) or serve it on its own.
 */
export async function createAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const issuer = checkIssuer(options.issuer);
  const resources = resolveResources(options.resources);
  const logger: Logger = options.logger ?? createLogger('switchboard-auth');
  const ownsDb = options.database === undefined;
  const db = options.database ?? (await openDatabase({ url: process.env.DATABASE_URL || undefined }));
  await migrateAuthServer(db);
  const layout: Layout = layoutFor(issuer);
  const development = issuer.protocol === 'http:';
  const [cookieKey, csrfKey] = await Promise.all([sharedSecret(db, 'cookies'), sharedSecret(db, 'csrf')]);
  const cimd = typeof options.clientIdMetadataDocuments === 'object' ? options.clientIdMetadataDocuments : {};
  const registration = options.dynamicRegistration ?? true;
  const registrationLimit = typeof registration === 'object' ? registration : {};
  const registrations = new AttemptLimiter(
    registrationLimit.maxPerWindow ?? 20,
    registrationLimit.windowSeconds ?? 3600,
  );
  const ttl = {
    accessToken: options.accessTokenTtlSeconds ?? 600,
    refreshToken: options.refreshTokenTtlSeconds ?? 14 * 24 * 3600,
    grant: options.grantTtlSeconds ?? 30 * 24 * 3600,
    session: 14 * 24 * 3600,
  };
  const alg = options.signingAlgorithm ?? 'ES256';
  const clients = options.clients ?? [];
  const brand = options.brand ?? 'Switchboard';

  const settings = (keys: ProviderSettings['keys']): ProviderSettings => ({
    db,
    keys,
    cookieKeys: [cookieKey],
    secureCookies: issuer.protocol === 'https:',
    routePrefix: layout.routePrefix,
    interactionPath: `${layout.mount}${layout.interactionPrefix}`,
    resources,
    clients: structuredClone(clients),
    registration: registration !== false,
    clientIdMetadataDocuments: {
      enabled: options.clientIdMetadataDocuments !== false,
      allowFetch: cimd.allowFetch ?? (() => true),
    },
    outboundFetch: createOutboundFetch({ allowLoopback: development, ...cimd.fetch }),
    findAccount: async (_ctx, id) => {
      const username = await accountName(id);
      if (username === undefined) return undefined;
      return { accountId: id, claims: () => ({ sub: id, preferred_username: username, name: username }) };
    },
    accountClaims: async (id) => (await findUser(db, id))?.claims,
    brand,
    ttl,
  });

  const accountName = async (id: string) =>
    (await findUser(db, id))?.username ?? (await findUpstreamAccount(db, id))?.username;
  const callbackUrl = `${issuer.origin}${layout.mount}${layout.upstreamCallback}`;
  const upstream =
    options.upstream &&
    new UpstreamLogin(
      options.upstream,
      db,
      new TokenVault(db, encryptionKey(options.upstream.tokenEncryptionKey)),
      callbackUrl,
      logger,
    );

  if (options.firstRun !== false && !options.upstream) {
    const demo = await ensureDemoUser(db, options.firstRun?.username, options.firstRun?.claims);
    const print = options.firstRun?.print ?? ((message: string) => process.stderr.write(`${message}\n`));
    if (demo) {
      print(
        `First run: sign in at ${options.issuer} as "${demo.username}" with password ${demo.password}\n` +
          'It is shown only this once. Manage users with addUser/listUsers/removeUser (switchboard users).',
      );
    }
  }

  let keys = await loadSigningKeys(db, alg);
  const build = () => {
    const provider = new Provider(options.issuer, providerConfiguration(settings(keys)));
    // Every URL it writes comes from the issuer (see rewriteForProvider), so the forwarded headers are ours.
    provider.proxy = true;
    provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'authorization server error'));
    return provider;
  };
  let provider = build();
  const callback = () => provider.callback();
  let providerCallback = callback();

  const routes = createInteractionRoutes({
    provider: () => provider,
    db,
    guard: new BrowserGuard(csrfKey, { secure: issuer.protocol === 'https:' }),
    limiter: new AttemptLimiter(options.maxLoginAttempts ?? 10, 15 * 60),
    brand,
    origin: issuer.origin,
    basePath: `${layout.mount}${layout.interactionPrefix}`,
    configuredClients: new Set(clients.map((c) => String(c.client_id))),
    scopeDescriptions: scopeDescriptions(options.resources),
    accountName,
    logger,
    ...(upstream && { beginUpstreamLogin: (req, res, details) => upstream.begin(req, res, details) }),
  });

  const registrationPath = `${layout.routePrefix}/register`;
  async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    const inner = innerPath(layout, pathname);
    try {
      if (inner === undefined) return sendOAuthError(res, 404, 'not_found', 'Not an authorization server path');
      if (inner.startsWith(`${layout.interactionPrefix}/`)) {
        if (await routes(req, res, inner.slice(layout.interactionPrefix.length))) return;
      }
      if (inner === layout.upstreamCallback && upstream && req.method === 'GET') {
        if ((await upstream.callback(req, res, provider)) === 'finished') return;
        const title = 'This sign-in has expired';
        const message = 'The sign-in link was already used or is too old.';
        return sendPage(res, { status: 400, title, brand, body: errorBody(title, message) });
      }
      if (inner === registrationPath) {
        // Browser-based clients (the MCP Inspector) register from their own origin: no cookies are involved, so
        // any origin may; oidc-provider's other endpoints carry their own CORS rules.
        const origin = req.headers.origin;
        if (origin !== undefined) res.setHeader('access-control-allow-origin', origin).setHeader('vary', 'Origin');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': 'content-type, authorization',
            'access-control-max-age': '3600',
          });
          return void res.end();
        }
      }
      if (inner === registrationPath && req.method === 'POST') {
        // MCP 2026-07-28 deprecates DCR but most clients use it; open registration is bounded per client address.
        if (!(await registrations.allow(clientAddress(req, options.trustProxy ?? false)))) {
          return sendOAuthError(res, 429, 'invalid_request', 'Too many client registrations; try again later', {
            'retry-after': String(registrationLimit.windowSeconds ?? 3600),
          });
        }
      }
      rewriteForProvider(req, issuer, inner, options.trustProxy ?? false);
      await providerCallback(req, res);
    } catch (error) {
      logger.error({ err: error }, 'authorization server request failed');
      if (!res.headersSent) sendOAuthError(res, 500, 'server_error', 'The authorization server failed');
      else res.end();
    }
  }

  const reload = async () => {
    keys = await loadSigningKeys(db, alg);
    provider = build();
    providerCallback = callback();
  };
  // Another instance may rotate keys, or a staged key may reach its signs_from: look again now and then.
  const keyCheck = setInterval(
    () => {
      loadSigningKeys(db, alg)
        .then((latest) => {
          const kids = (set: typeof keys) => `${set.current.kid}|${set.keys.map((k) => k.kid).join(',')}`;
          if (kids(latest) !== kids(keys)) return reload();
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'signing-key refresh failed'));
    },
    (options.keyRefreshSeconds ?? 300) * 1000,
  );
  keyCheck.unref();
  const sweep = setInterval(() => {
    deleteExpired(db).catch((error: unknown) => logger.warn({ err: error }, 'expired-row cleanup failed'));
  }, 10 * 60_000);
  sweep.unref();
  const paths = ownedPaths(layout);
  const audiences = [...new Set([...resources.values()].map((r) => r.uri))];
  const base = `${issuer.origin}${layout.mount}`;

  return {
    issuer: options.issuer,
    metadataUrl: `${issuer.origin}/.well-known/oauth-authorization-server${layout.mount}`,
    paths,
    handles: (pathname) => innerPath(layout, pathname) !== undefined,
    handler,
    database: db,
    accessTokens: {
      issuer: options.issuer,
      jwksUri: `${base}${layout.routePrefix}/jwks`,
      typ: 'at+jwt',
      algorithms: ['ES256', 'EdDSA'],
      audiences,
    },
    isAccessTokenActive: (jti) => isAccessTokenActive(db, jti),
    jwks: () => ({
      keys: keys.keys.map(({ d: _d, ...pub }) => pub),
    }),
    async rotateSigningKey(rotate) {
      const kid = await rotateSigningKey(db, rotate);
      await reload();
      return kid;
    },
    reloadKeys: reload,
    async retireOldKeys() {
      const retired = await retireSigningKeys(db, new Date(Date.now() - ttl.accessToken * 1000));
      if (retired.length) await reload();
      return retired;
    },
    upstreamAccessToken: async (subject) => upstream?.accessToken(subject),
    async close() {
      clearInterval(sweep);
      clearInterval(keyCheck);
      if (ownsDb) await db.close();
    },
  };
}
