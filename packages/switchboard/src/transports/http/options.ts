import type { AuthOptions, ResourceServer } from '../../auth/resource-server.js';
import type { AuthInfo } from '../../protocol/auth.js';
import type { EventStore } from '../../stores/event-store.js';
import type { SessionStore } from '../../stores/session-store.js';
import type { Authenticate } from './authenticate.js';
import type { OriginPolicy } from './origin.js';
import type { RefusalListener } from './refusals.js';

/** One HTTP request as the `admit` hook sees it: before its body is read, after its caller is known. */
export interface AdmitRequest {
  readonly method: string;
  header(name: string): string | undefined;
  readonly auth: AuthInfo;
}

/** Why a request is turned away at the HTTP level: its status (429, 503), message and headers (`Retry-After`). */
export interface AdmitRefusal {
  readonly status: number;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

/** Decides, per HTTP request, whether it is served (undefined) or refused (an HTTP-level rate limit). */
export type Admit = (request: AdmitRequest) => AdmitRefusal | undefined | Promise<AdmitRefusal | undefined>;

export interface HttpOptions extends OriginPolicy {
  /**
   * Establishes the caller of every HTTP request (POST, GET, DELETE) before its body is read: returns an `AuthInfo`,
   * an `AuthChallenge` (answered with its status and `WWW-Authenticate`), or undefined for an anonymous caller.
   * Not consulted when the node handler's `req.auth` or the fetch handler's `{ auth }` already names the caller.
   */
  authenticate?: Authenticate;
  /**
   * Protects the endpoint with OAuth 2.1 bearer tokens (`switchboard-mcp/auth`): the authorization server(s), a
   * verifier and the public URL, or a `ResourceServer` made from them. Replaces `authenticate`; `serve()` also
   * answers the RFC 9728 metadata.
   */
  auth?: AuthOptions | ResourceServer;
  /**
   * Runs for every HTTP request after authentication and before its body is read; a refusal is answered with its
   * status and headers. `switchboard-mcp/quota`'s `httpRateLimit()` makes one that answers 429 with `Retry-After`.
   */
  admit?: Admit;
  /**
   * Told of each request the endpoint refuses itself with a 4xx or 5xx before any middleware runs (malformed,
   * unauthenticated, unknown session, wrong media type, too large, over an `admit` limit, shutting down).
   * `accessLog().refused` logs them as access-log lines, so every request gets one.
   */
  onRefused?: RefusalListener;
  /** Largest accepted POST body in bytes (default 4 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /**
   * How 2025-era clients are served: `stateful` (default) mints `Mcp-Session-Id` sessions with GET streams,
   * server-to-client requests and resumability; `stateless` answers each request on its own.
   * 2026-07-28 clients are always stateless.
   */
  sessions?: 'stateful' | 'stateless';
  /** Where session state lives (default: memory of this process). */
  sessionStore?: SessionStore;
  /** Where SSE events are kept for `Last-Event-ID` resumption (default: memory); `false` turns resumption off. */
  eventStore?: EventStore | false;
  /** Idle time after which a session is forgotten (default 30 minutes); its id then gets 404. */
  sessionIdleMs?: number;
  /** Most 2025-era sessions the default store keeps (default 100,000); past it `initialize` gets 503 and no session is forgotten. */
  maxSessions?: number;
  /**
   * Requests one 2025-era session may have in flight at once, each holding its POST (and any SSE stream) open
   * (default 32); one more gets 429. The session's single GET stream is not counted.
   */
  maxStreamsPerSession?: number;
  /** Reconnection delay sent as the SSE `retry` field on priming events, in ms (default 1000). */
  retryMs?: number;
  /**
   * How long a 2025-era client's answer or cancellation for a request running on another instance waits for that
   * instance to take it over the bus (default 3000 ms); with none by then the POST gets 409, not 202.
   */
  relayTimeoutMs?: number;
}
