import type { ClientMetadata } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Database } from '../../sql/database.js';
import type { OutboundFetchOptions } from './outbound-fetch.js';
import type { ResourceOptions } from './resources.js';
import type { SigningAlgorithm } from './signing-keys.js';
import type { UpstreamProviderOptions } from './upstream/upstream-login.js';

/** Options of {@link createAuthorizationServer}. */
export interface AuthorizationServerOptions {
  /**
   * The issuer identifier, matched exactly by clients (RFC 8414 §3.3) and put in every token's `iss`: the URL
   * clients reach, e.g. `https://mcp.example.com` when it shares the MCP server's origin, or
   * `https://auth.example.com/tenant` on its own. `https`, except `http` on a loopback address for development.
   */
  issuer: string;
  /** The MCP servers tokens are for (RFC 8707 resource indicators): each becomes a token `aud`. */
  resources: ResourceOptions[];
  /**
   * Where users, grants, codes, sessions, clients and keys live. Default: PGlite in `.switchboard/data`, or
   * PostgreSQL when `DATABASE_URL` is set. A database passed in is migrated, and left open by `close()`.
   */
  database?: Database;
  /** Pre-registered clients (RFC 7591 metadata, e.g. `{ client_id, client_name, redirect_uris, ... }`). */
  clients?: ClientMetadata[];
  /**
   * Dynamic client registration (RFC 7591; deprecated in MCP 2026-07-28 but used by most clients). Default on, at
   * most 20 registrations per client address an hour.
   */
  dynamicRegistration?: boolean | { maxPerWindow?: number; windowSeconds?: number };
  /**
   * Client ID Metadata Documents (an `https` URL as `client_id`). Default on. `allowFetch` restricts which URLs are
   * fetched; `fetch` tunes the SSRF-hardened fetcher (loopback is allowed when the issuer itself is loopback).
   */
  clientIdMetadataDocuments?:
    | boolean
    | { allowFetch?: (clientId: string) => boolean | Promise<boolean>; fetch?: OutboundFetchOptions };
  /** Access-token lifetime in seconds (default 600: short-lived, refresh tokens renew them). */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime in seconds (default 14 days; each rotation starts a new one, bounded by the grant). */
  refreshTokenTtlSeconds?: number;
  /** How long a user's consent (the grant) lasts, in seconds (default 30 days). */
  grantTtlSeconds?: number;
  /** How often the signing keys are re-read from the database (default 300 s): rotations elsewhere reach here. */
  keyRefreshSeconds?: number;
  /** Algorithm of new signing keys (default ES256). */
  signingAlgorithm?: SigningAlgorithm;
  /** Product name on the sign-in and consent pages (default `Switchboard`). */
  brand?: string;
  /**
   * First run: when the database has no users (and there is no upstream provider), add `demo` with a random
   * password and print the one-time login (default on; `false` to skip). `print` defaults to stderr.
   */
  firstRun?: false | { username?: string; claims?: Record<string, unknown>; print?: (message: string) => void };
  /** Sign-in attempts per username and client address per 15 minutes (default 10). */
  maxLoginAttempts?: number;
  /**
   * Behind a reverse proxy: take the client address from `X-Forwarded-For` (rate limits). The issuer's scheme and
   * host are always taken from `issuer`, never from request headers.
   */
  trustProxy?: boolean;
  /**
   * Proxy mode, for identity providers without dynamic registration or metadata documents (GitHub, Google): users
   * sign in there instead of with a password here; this server still shows its own consent and issues its own
   * tokens, and keeps the upstream tokens encrypted (`upstreamAccessToken(sub)` hands them to your tools).
   */
  upstream?: UpstreamProviderOptions;
  logger?: Logger;
}
