import { authenticateOf } from '../../auth/http-auth.js';
import type { AuthInfo } from '../../protocol/auth.js';
import { ANONYMOUS } from '../../protocol/auth.js';
import { ErrorCode, isStoreUnavailable, storeUnavailable } from '../../protocol/errors.js';
import type { McpHost } from '../../protocol/host.js';
import {
  classifyMessage,
  encodeError,
  PARSE_ERROR_BODY,
  parseMessageText,
  readableId,
} from '../../protocol/jsonrpc.js';
import type { JsonRpcMessage, JsonRpcRequest, Params, RequestId } from '../../protocol/messages.js';
import { stringOf } from '../../protocol/untrusted.js';
import { META, MODERN_VERSION } from '../../protocol/versions.js';
import { MemoryEventStore } from '../../stores/event-store.js';
import { MemorySessionStore } from '../../stores/session-store.js';
import type { SharedStores } from '../../stores/shared-stores.js';
import type { Authenticate, AuthOutcome } from './authenticate.js';
import { AuthChallenge } from './authenticate.js';
import type { HttpExchange } from './exchange.js';
import { BodyTooLargeError, BodyUnavailableError, ClientGoneError } from './exchange.js';
import { LegacyEndpoint } from './legacy.js';
import { findHeaderMismatch } from './mcp-headers.js';
import { accepts, isJsonContentType } from './media-type.js';
import type { Admit, AdmitRefusal, HttpOptions } from './options.js';
import type { OriginPolicy } from './origin.js';
import { checkOrigin } from './origin.js';
import type { RefusalListener } from './refusals.js';
import { noteRequest, WatchedExchange } from './refusals.js';
import { HttpReply } from './reply.js';
import { corsHeaders, NO_HEADERS, sendError, sendPreflight } from './responses.js';
import { SessionManager } from './sessions.js';

/** What an endpoint holds open right now. */
export interface EndpointStats {
  /** HTTP requests being handled. */
  readonly inflight: number;
  /** 2025-era sessions this process serves. */
  readonly sessions: number;
  /** Open SSE responses (request streams and GET streams), counted by the node and fetch adapters. */
  readonly streams: number;
  /** Shutting down: new requests get 503. */
  readonly closing: boolean;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
/** Marks a request the authentication step already answered. */
const ANSWERED = Symbol('answered');
/** 2025-11-25 transports: priming events carry a `retry` so a cut client reconnects promptly. */
const DEFAULT_RETRY_MS = 1000;

/**
 * The Streamable HTTP endpoint, independent of the HTTP library: both eras at one URL. Node and fetch adapters
 * wrap it; it holds no Node or Web types itself.
 */
export class HttpEndpoint {
  readonly #host: McpHost;
  readonly #policy: OriginPolicy;
  readonly #maxBody: number;
  readonly #sessions: SessionManager | undefined;
  readonly #legacy: LegacyEndpoint;
  readonly #authenticate: Authenticate | undefined;
  /** Open SSE responses on this endpoint, counted by the node and fetch adapters. */
  readonly streams = { open: 0 };
  readonly #admit: Admit | undefined;
  readonly #onRefused: RefusalListener | undefined;
  #inflight = 0;
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;
  /** The last Host header that passed the policy: a client sends the same one on every request. */
  #acceptedHost: string | undefined;

  constructor(host: McpHost, options: HttpOptions = {}) {
    this.#host = host;
    this.#policy = { allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins };
    this.#maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.#authenticate = authenticateOf(host, options);
    this.#admit = options.admit;
    this.#onRefused = options.onRefused;
    const shared = sharedStoresOf(host);
    const events =
      options.eventStore === false ? undefined : (options.eventStore ?? shared?.eventStore ?? new MemoryEventStore());
    this.#sessions =
      options.sessions === 'stateless'
        ? undefined
        : new SessionManager(
            host,
            options.sessionStore ??
              shared?.sessionStore ??
              new MemorySessionStore({ idleTtlMs: options.sessionIdleMs, maxSessions: options.maxSessions }),
            events,
            options.sessionIdleMs ?? 1_800_000,
            options.retryMs ?? DEFAULT_RETRY_MS,
            options.relayTimeoutMs ?? 3_000,
          );
    this.#legacy = new LegacyEndpoint(host, this.#sessions, events, options.maxStreamsPerSession ?? 32);
  }

  /** Requests being handled right now (graceful shutdown waits for zero). */
  get inflight(): number {
    return this.#inflight;
  }

  /** What this endpoint holds open right now, for metrics and readiness. */
  stats(): EndpointStats {
    return {
      inflight: this.#inflight,
      sessions: this.#sessions?.size ?? 0,
      streams: this.streams.open,
      closing: this.#closing !== undefined,
    };
  }

  /** Serves one HTTP request. `auth` is the caller as the host framework established it, if it did. */
  handle(exchange: HttpExchange, auth?: AuthInfo): Promise<void> {
    // Not `async`: returning #serve's promise from an async function would wrap it in one more, resolved later.
    const onRefused = this.#onRefused;
    if (onRefused === undefined) return this.#serve(exchange, auth);
    return this.#watch(exchange, auth, onRefused);
  }

  /** Serves the request through a `WatchedExchange` that reports a refusal to `onRefused` afterwards. */
  async #watch(exchange: HttpExchange, auth: AuthInfo | undefined, onRefused: RefusalListener): Promise<void> {
    const started = performance.now();
    const watched = new WatchedExchange(exchange);
    // With no authentication step every caller is anonymous; with one, the caller is known once it passed.
    if (auth !== undefined || this.#authenticate === undefined) watched.facts.auth = auth ?? ANONYMOUS;
    try {
      await this.#serve(watched, auth);
    } catch (error) {
      // The adapter answers 500 for it.
      watched.status ??= 500;
      throw error;
    } finally {
      const refusal = watched.refusal(started, this.#host.logger);
      if (refusal !== undefined) onRefused(refusal);
    }
  }

  async #serve(exchange: HttpExchange, auth?: AuthInfo): Promise<void> {
    const ambiguous = exchange.ambiguousHeader?.();
    if (ambiguous !== undefined) {
      return sendError(exchange, 400, NO_HEADERS, ErrorCode.InvalidRequest, `Bad Request: ${ambiguous}`);
    }
    const origin = exchange.header('origin');
    const host = exchange.header('host');
    // Without an Origin only the Host is checked, and the policy never changes: a Host that passed, passes.
    if (origin !== undefined || host === undefined || host !== this.#acceptedHost) {
      const refusal = checkOrigin(this.#policy, host, origin);
      if (refusal !== undefined)
        return sendError(exchange, 403, { vary: 'Origin' }, ErrorCode.InvalidRequest, `Forbidden: ${refusal}`);
      if (origin === undefined) this.#acceptedHost = host;
    }
    const headers = origin === undefined ? NO_HEADERS : corsHeaders(origin);
    if (exchange.method === 'OPTIONS') return sendPreflight(exchange, origin);
    // While closing, POSTs are still read: a client's response or cancellation may be what an in-flight call waits for.
    if (this.#closing !== undefined && exchange.method !== 'POST') return refuseWhileClosing(exchange, headers, null);
    this.#inflight++;
    try {
      if (auth === undefined && this.#authenticate !== undefined) {
        const outcome = await this.#identify(exchange, headers);
        if (outcome === ANSWERED) return;
        auth = outcome;
        noteRequest(exchange, { auth });
      }
      if (this.#admit !== undefined && (await this.#refused(exchange, headers, auth))) return;
      // try/catch rather than `.catch(…)`: no closure and no extra promise per request.
      try {
        switch (exchange.method) {
          case 'POST': {
            if (this.#refusesPost(exchange, headers)) return;
            let text: string;
            try {
              text = await exchange.readBody(this.#maxBody);
            } catch (error) {
              return this.#unreadable(exchange, headers, error);
            }
            // #post answers synchronously or hands back its one promise: no `async` step of its own.
            const posted = this.#post(exchange, text, headers, auth);
            if (posted !== undefined) await posted;
            return;
          }
          case 'GET':
            return await this.#legacy.get(exchange, headers, auth);
          case 'DELETE':
            return await this.#legacy.delete(exchange, headers, auth);
        }
      } catch (error) {
        return storeDown(exchange, headers, error);
      }
      return sendError(
        exchange,
        405,
        headers,
        ErrorCode.InvalidRequest,
        `Method Not Allowed: ${exchange.method}`,
        null,
        {
          allow: 'GET, POST, DELETE, OPTIONS',
        },
      );
    } finally {
      if (--this.#inflight === 0) this.#drained?.();
    }
  }

  /** Runs the `authenticate` hook; answers the request itself (and says so) when it is refused or the hook fails. */
  async #identify(
    exchange: HttpExchange,
    headers: Record<string, string>,
  ): Promise<AuthInfo | undefined | typeof ANSWERED> {
    let outcome: AuthOutcome;
    try {
      outcome = await (this.#authenticate as Authenticate)(exchange);
    } catch (error) {
      if (!(error instanceof AuthChallenge)) {
        // The hook's own failure (an unreachable introspection endpoint, a bug): its text may hold internals.
        this.#host.logger.error({ err: error }, 'authenticate hook failed');
        sendError(exchange, 500, headers, ErrorCode.InternalError, 'Internal error while authenticating the request');
        return ANSWERED;
      }
      outcome = error;
    }
    if (!(outcome instanceof AuthChallenge)) return outcome;
    sendError(exchange, outcome.status, headers, ErrorCode.InvalidRequest, outcome.message, null, {
      'www-authenticate': outcome.wwwAuthenticate,
    });
    return ANSWERED;
  }

  /** Runs the `admit` hook (an HTTP-level rate limit); answers the request itself when it is refused. */
  async #refused(exchange: HttpExchange, headers: Record<string, string>, auth: AuthInfo | undefined) {
    let refusal: AdmitRefusal | undefined;
    try {
      refusal = await (this.#admit as Admit)({
        method: exchange.method,
        header: (name) => exchange.header(name),
        auth: auth ?? ANONYMOUS,
      });
    } catch (error) {
      this.#host.logger.error({ err: error }, 'admit hook failed');
      sendError(exchange, 500, headers, ErrorCode.InternalError, 'Internal error while admitting the request');
      return true;
    }
    if (refusal === undefined) return false;
    sendError(exchange, refusal.status, headers, ErrorCode.InvalidRequest, refusal.message, null, refusal.headers);
    return true;
  }

  /** Answers a POST whose Content-Type or Accept the transport refuses; true when it did. */
  #refusesPost(exchange: HttpExchange, headers: Record<string, string>): boolean {
    if (!isJsonContentType(exchange.header('content-type'))) {
      sendError(
        exchange,
        415,
        headers,
        ErrorCode.InvalidRequest,
        'Unsupported Media Type: Content-Type must be application/json',
      );
      return true;
    }
    const accept = exchange.header('accept');
    if (!accepts(accept, 'application/json') || !accepts(accept, 'text/event-stream')) {
      // Transports (both eras): the client MUST accept both, since the server picks JSON or SSE per request.
      sendError(
        exchange,
        406,
        headers,
        ErrorCode.InvalidRequest,
        'Not Acceptable: Accept must list application/json and text/event-stream',
      );
      return true;
    }
    return false;
  }

  /** A body that could not be read: answered here when the reason is known, rethrown otherwise. */
  #unreadable(exchange: HttpExchange, headers: Record<string, string>, error: unknown): void {
    if (error instanceof ClientGoneError) return;
    if (error instanceof BodyUnavailableError) {
      this.#host.logger.error(
        { err: error },
        'mount the MCP handler before body-consuming middleware, or let that middleware set req.body',
      );
      sendError(exchange, 500, headers, ErrorCode.InternalError, `Internal error: ${error.message}`);
      return;
    }
    if (error instanceof BodyTooLargeError) {
      sendError(exchange, 413, headers, ErrorCode.InvalidRequest, `Payload Too Large: ${error.message}`, null, {
        connection: 'close',
      });
      return;
    }
    throw error;
  }

  /** The POSTed body: one JSON-RPC message or a batch, to the era it belongs to. */
  #post(
    exchange: HttpExchange,
    text: string,
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
  ): void | Promise<void> {
    let value: unknown;
    try {
      value = parseMessageText(text);
    } catch {
      return exchange.send(400, { 'content-type': 'application/json', ...headers }, PARSE_ERROR_BODY);
    }
    if (Array.isArray(value)) {
      if (this.#closing !== undefined && value.some((item) => classifyMessage(item) === 'request')) {
        return refuseWhileClosing(exchange, headers, null);
      }
      return this.#legacy.postBatch(exchange, value, headers, auth);
    }
    const kind = classifyMessage(value);
    if (kind === 'invalid') {
      return sendError(
        exchange,
        400,
        headers,
        ErrorCode.InvalidRequest,
        'Invalid Request: not a JSON-RPC 2.0 request, notification or response',
        readableId(value),
      );
    }
    const message = value as JsonRpcMessage;
    const bodyVersion = kind === 'response' ? undefined : metaVersion((message as JsonRpcRequest).params);
    // A body that names its version decides the era; the header is read only when it does not.
    const headerVersion = bodyVersion === undefined ? exchange.header('mcp-protocol-version') : undefined;
    if (exchange instanceof WatchedExchange) {
      noteRequest(exchange, {
        method: kind === 'response' ? undefined : (message as JsonRpcRequest).method,
        era: bodyVersion !== undefined || headerVersion === MODERN_VERSION ? 'modern' : 'legacy',
      });
    }
    if (this.#closing !== undefined && kind === 'request') {
      return refuseWhileClosing(exchange, headers, (message as JsonRpcRequest).id);
    }
    if (bodyVersion !== undefined)
      return this.#modern(exchange, message as JsonRpcRequest, kind, bodyVersion, headers, auth);
    if (headerVersion === MODERN_VERSION) return answerModernWithoutMeta(exchange, message, kind, headers);
    return this.#legacy.post(exchange, message, kind, headers, auth, headerVersion);
  }

  async #modern(
    exchange: HttpExchange,
    message: JsonRpcRequest,
    kind: string,
    bodyVersion: string,
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
  ): Promise<void> {
    if (kind === 'notification') {
      // 2026-07-28 defines no client notifications over HTTP; the server's hooks still see what arrives.
      await this.#host.notified(
        { method: message.method, params: message.params ?? {} },
        { era: 'modern', auth: auth ?? ANONYMOUS },
      );
      return exchange.send(202, headers);
    }
    const toolHeaders =
      message.method === 'tools/call' ? this.#host.headerParamsOf(stringOf(message.params?.name) ?? '') : undefined;
    // A version that is not a string is the engine's to refuse (-32602); no header can mirror it.
    const mismatch = bodyVersion === '' ? undefined : findHeaderMismatch(exchange, message, bodyVersion, toolHeaders);
    if (mismatch !== undefined) {
      return exchange.send(
        400,
        { 'content-type': 'application/json', ...headers },
        encodeError(message.id, ErrorCode.HeaderMismatch, `Header mismatch: ${mismatch}`),
      );
    }
    const reply = new HttpReply(exchange, headers, undefined, true);
    reply.finish(await this.#host.dispatcher.handleRequest(message, { link: reply, session: undefined, auth }));
  }

  /**
   * Refuses new requests with 503, waits (up to `timeoutMs`) for in-flight requests of both eras to finish and send
   * their responses, then ends the 2025-era sessions (their GET streams and anything still running).
   */
  close(timeoutMs = 10_000): Promise<void> {
    this.#closing ??= this.#drain(timeoutMs).then(() => this.#sessions?.closeAll());
    return this.#closing;
  }

  async #drain(timeoutMs: number): Promise<void> {
    if (this.#inflight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** A body without `_meta` from a client that says it speaks 2026-07-28. */
function answerModernWithoutMeta(
  exchange: HttpExchange,
  message: JsonRpcMessage,
  kind: 'request' | 'notification' | 'response',
  headers: Record<string, string>,
): void {
  if (kind === 'notification') {
    // 2026-07-28 transports/streamable-http §Sending Messages: a notification the server accepts gets 202. The
    // revision defines none over HTTP and asks no `_meta` of notifications, so there is nothing to act on.
    exchange.send(202, headers);
  } else if (kind === 'response') {
    // 2026-07-28 transports/streamable-http §Sending Messages: the client MUST NOT send JSON-RPC responses.
    sendError(
      exchange,
      400,
      headers,
      ErrorCode.InvalidRequest,
      'Invalid Request: a 2026-07-28 client must not send JSON-RPC responses; server requests are MRTR results',
    );
  } else {
    // 2026-07-28 basic/index §_meta: a request missing required `_meta` fields is -32602 with HTTP 400.
    sendError(
      exchange,
      400,
      headers,
      ErrorCode.InvalidParams,
      `Invalid params: _meta["${META.protocolVersion}"] is required`,
      (message as JsonRpcRequest).id,
    );
  }
}

/**
 * A shared store (Redis, PostgreSQL) that is unreachable right now: 503 with `Retry-After`, so clients and load
 * balancers retry once it is back, instead of a bare 500. Any other failure is rethrown.
 */
function storeDown(exchange: HttpExchange, headers: Record<string, string>, error: unknown): void {
  if (!isStoreUnavailable(error) || exchange.closed) throw error;
  // A response that already started (a stream) cannot become a 503: the original failure is reported instead.
  try {
    const answer = storeUnavailable();
    sendError(
      exchange,
      answer.httpStatus,
      headers,
      answer.rpcCode,
      answer.message,
      null,
      answer.httpHeaders,
      answer.data,
    );
  } catch {
    throw error;
  }
}

/** The `stores` option of a `Switchboard` host (other hosts have none): the endpoint's default session and event stores. */
export function sharedStoresOf(host: McpHost): SharedStores | undefined {
  return (host as { stores?: SharedStores }).stores;
}

function refuseWhileClosing(exchange: HttpExchange, headers: Record<string, string>, id: RequestId | null): void {
  sendError(exchange, 503, headers, ErrorCode.InternalError, 'Service Unavailable: the server is shutting down', id, {
    connection: 'close',
  });
}

function metaVersion(params: Params | undefined): string | undefined {
  const meta = params?._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const version = (meta as Params)[META.protocolVersion];
  // Not a string is not a version: it can match no header, and the engine answers -32602 for it.
  return version === undefined ? undefined : typeof version === 'string' ? version : '';
}
