import type { ClientMetadata, Configuration, FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { Queryable } from '../../sql/database.js';
import { recordIssuedAccessToken } from './issued-access-tokens.js';
import { applyMcpClientProfile } from './mcp-client-profile.js';
import { renderProviderError } from './provider-errors.js';
import type { ResolvedResource } from './resources.js';
import type { SigningKeySet } from './signing-keys.js';
import { sqlAdapter } from './sql-adapter.js';

/** A token's end: `exp` once saved, else its lifetime in seconds from now (how oidc-provider computes `exp`). */
type Expiring = { exp?: number; expiration?: number };

/** Everything the oidc-provider configuration is made from. */
export interface ProviderSettings {
  db: Queryable;
  keys: SigningKeySet;
  cookieKeys: Buffer[];
  secureCookies: boolean;
  /** Path prefix of the provider's own routes below the issuer, e.g. `/oauth`. */
  routePrefix: string;
  /** Full path of the interaction pages, e.g. `/oauth/interaction`. */
  interactionPath: string;
  resources: ReadonlyMap<string, ResolvedResource>;
  clients: ClientMetadata[];
  registration: boolean;
  clientIdMetadataDocuments: {
    enabled: boolean;
    allowFetch: (clientId: string) => boolean | Promise<boolean>;
  };
  outboundFetch: (url: string | URL, init?: RequestInit) => Promise<Response>;
  findAccount: FindAccount;
  /** The claims of a user (a token's accountId) that their access tokens carry beside the standard ones. */
  accountClaims: (accountId: string) => Promise<Record<string, unknown> | undefined>;
  brand: string;
  ttl: { accessToken: number; refreshToken: number; grant: number; session: number };
}

/**
 * The MCP profile of oidc-provider: authorization code with PKCE S256 only, JWT access tokens bound by RFC 8707
 * `resource` to one MCP server, rotating refresh tokens, dynamic registration and Client ID Metadata Documents,
 * revocation and introspection, nothing else (no implicit flow, no device flow, no development pages).
 */
export function providerConfiguration(s: ProviderSettings): Configuration {
  const p = s.routePrefix;
  const unique = [...new Set(s.resources.values())];
  const resourceScopes = [...new Set(unique.flatMap((r) => r.scopes))];
  const onlyResource = unique.length === 1 ? unique[0]!.uri : undefined;
  return {
    adapter: sqlAdapter(s.db),
    clients: s.clients,
    findAccount: s.findAccount,
    // A user's own claims (a team, a tenant) ride in their access tokens, for the resource server's row-level
    // security. Called while each JWT access token is made, before it is signed: its record is written then, so a
    // resource server never sees a token whose record is not there yet (issued-access-tokens.ts).
    extraTokenClaims: async (_ctx, token) => {
      const { jti, grantId, exp, expiration } = token as { jti?: string; grantId?: string } & Expiring;
      const expires = exp ?? (expiration === undefined ? undefined : Math.floor(Date.now() / 1000) + expiration);
      if (token.kind === 'AccessToken' && jti && grantId && expires) {
        await recordIssuedAccessToken(s.db, jti, grantId, expires);
      }
      return 'accountId' in token && typeof token.accountId === 'string' ? s.accountClaims(token.accountId) : undefined;
    },
    jwks: { keys: s.keys.keys as never },
    // OAuth 2.1 §4.1.1: PKCE is required for every client; oidc-provider only implements S256 (no `plain`).
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: ['openid', 'profile', 'offline_access', ...resourceScopes],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: s.keys.current.alg,
    },
    extraClientMetadata: {
      properties: ['software_id'],
      validator: (_ctx, key, _value, metadata) => {
        if (key === 'software_id') applyMcpClientProfile(metadata);
      },
    },
    routes: {
      authorization: `${p}/authorize`,
      token: `${p}/token`,
      jwks: `${p}/jwks`,
      registration: `${p}/register`,
      revocation: `${p}/revoke`,
      introspection: `${p}/introspect`,
      userinfo: `${p}/userinfo`,
      end_session: `${p}/logout`,
      pushed_authorization_request: `${p}/par`,
      code_verification: `${p}/device`,
      device_authorization: `${p}/device/auth`,
      backchannel_authentication: `${p}/backchannel`,
      challenge: `${p}/challenge`,
      credential: `${p}/credential`,
    },
    interactions: { url: (_ctx, interaction) => `${s.interactionPath}/${interaction.uid}` },
    cookies: {
      names: s.secureCookies
        ? { session: '__Host-sb-session', interaction: '__Host-sb-interaction', resume: '__Secure-sb-resume' }
        : { session: 'sb-session', interaction: 'sb-interaction', resume: 'sb-resume' },
      long: { httpOnly: true, sameSite: 'lax', path: '/' },
      // `__Host-` cookies must have Path=/ (RFC 6265bis §4.1.3.2); the resume cookie keeps its own path.
      short: { httpOnly: true, sameSite: 'lax', path: '/' },
      keys: s.cookieKeys,
    },
    ttl: {
      AccessToken: s.ttl.accessToken,
      AuthorizationCode: 60,
      RefreshToken: s.ttl.refreshToken,
      Grant: s.ttl.grant,
      Session: s.ttl.session,
      Interaction: 15 * 60,
      IdToken: 60 * 60,
    },
    // Refresh tokens go to every client registered for the refresh_token grant, without `offline_access`: MCP
    // clients keep long sessions and do not ask for it. Each use rotates the token (OAuth 2.1 §4.3.1, RFC 9700
    // §4.14.2); the reuse of a rotated one revokes the grant (sql-adapter.ts and oidc-provider's refresh grant).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    expiresWithSession: () => false,
    renderError: (ctx, out, error) => renderProviderError(ctx, out, error, s.brand),
    clientBasedCORS: (_ctx, origin, client) =>
      (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true, allowedPolicy: revocationPolicy },
      introspection: { enabled: true, allowedPolicy: introspectionPolicy },
      registration: { enabled: s.registration, issueRegistrationAccessToken: false },
      clientIdMetadataDocument: {
        enabled: s.clientIdMetadataDocuments.enabled,
        ack: 'draft-02',
        allowFetch: (_ctx, clientId) => s.clientIdMetadataDocuments.allowFetch(clientId),
        // MCP 2025-11-25 and 2026-07-28 require client_name and redirect_uris in the document; the draft does not.
        allowClient: (_ctx, client) => Boolean(client.clientName) && (client.redirectUris?.length ?? 0) > 0,
        cacheDuration: { min: 60, max: 24 * 60 * 60 },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? onlyResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator) => {
          const resource = s.resources.get(indicator);
          // RFC 8707 §2: a resource this server does not issue tokens for is invalid_target.
          if (resource === undefined) throw new errors.InvalidTarget(`${indicator} is not served by this server`);
          // RFC 6749 §3.3: a request without scope is served with a default or refused as invalid_scope. There is
          // no default (which scopes a client may have is the user's decision), so it is refused here, after the
          // client and redirect URI were checked and before anyone is asked to sign in to an empty consent page.
          if (ctx.oidc.route === 'authorization' && !ctx.oidc.params?.scope) {
            throw new errors.InvalidScope(
              `name the scopes to authorize: ${resource.scopes.join(' ')}`,
              undefined as never,
            );
          }
          return {
            scope: resource.scopes.join(' '),
            audience: resource.uri,
            accessTokenTTL: resource.accessTokenTtl ?? s.ttl.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: s.keys.current.alg, kid: s.keys.current.kid } },
          };
        },
      },
    },
    fetch: s.outboundFetch as never,
    fetchResponseBodyLimits: {
      'client_id metadata document': 5 * 1024,
      jwks_uri: 64 * 1024,
      sector_identifier_uri: 64 * 1024,
    },
  } as Configuration;
}

/** Public clients may introspect only their own tokens; confidential ones (resource servers) any token. */
function introspectionPolicy(
  ctx: KoaContextWithOIDC,
  client: { clientAuthMethod: string; clientId: string },
  token: { clientId?: string },
) {
  return !(client.clientAuthMethod === 'none' && token.clientId !== ctx.oidc.client?.clientId);
}

/** A client revokes only its own tokens (RFC 7009 §2.1); someone else's is answered 200 without effect. */
function revocationPolicy(_ctx: KoaContextWithOIDC, client: { clientId: string }, token: { clientId?: string }) {
  return token.clientId === client.clientId;
}
