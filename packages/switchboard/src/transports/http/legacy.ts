import type { AuthInfo } from '../../protocol/auth.js';
import { ANONYMOUS, principalKey } from '../../protocol/auth.js';
import { expectsAnswers, readBatch, serveBatch } from '../../protocol/batch.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { McpHost } from '../../protocol/host.js';
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  RequestId,
} from '../../protocol/messages.js';
import type { SessionSlot } from '../../protocol/method-table.js';
import { newSessionState } from '../../protocol/session.js';
import { describeValue } from '../../protocol/untrusted.js';
import { isLegacyVersion, MODERN_VERSION, SUPPORTED_VERSIONS } from '../../protocol/versions.js';
import type { EventStore } from '../../stores/event-store.js';
import { SessionLimitError } from '../../stores/session-store.js';
import { BatchReply } from './batch-reply.js';
import type { HttpExchange } from './exchange.js';
import { accepts } from './media-type.js';
import { HttpReply } from './reply.js';
import { sendError } from './responses.js';
import { resume } from './resume.js';
import type { SessionRuntime } from './session-runtime.js';
import type { SessionManager } from './sessions.js';
import { SSE_HEADERS, SseStream } from './sse.js';

/** 2025-11-25 transports: a session-less request without the version header is assumed to be 2025-03-26. */
const ASSUMED_VERSION = '2025-03-26';
const SESSION_NOT_FOUND = -32001;

/** The 2025-era side of the endpoint: `initialize`, sessions, GET streams, resumption and DELETE. */
export class LegacyEndpoint {
  readonly #host: McpHost;
  readonly #sessions: SessionManager | undefined;
  readonly #events: EventStore | undefined;
  readonly #maxStreams: number;

  constructor(
    host: McpHost,
    sessions: SessionManager | undefined,
    events: EventStore | undefined,
    maxStreamsPerSession: number,
  ) {
    this.#maxStreams = maxStreamsPerSession;
    this.#host = host;
    this.#sessions = sessions;
    this.#events = events;
  }

  /**
   * A POSTed message of a 2025-era client. Not `async`: with the memory store the session is found synchronously,
   * and a request goes straight to its connection, so the common path adds no promise of its own. `version` is the
   * request's `MCP-Protocol-Version` header.
   */
  post(
    exchange: HttpExchange,
    message: JsonRpcMessage,
    kind: 'request' | 'notification' | 'response',
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
    version: string | undefined,
  ): void | Promise<void> {
    // 2026-07-28 basic/index §Error Responses: an error carries the request's id whenever it could be read.
    const requestId = kind === 'request' ? (message as JsonRpcRequest).id : null;
    if (version !== undefined && !isLegacyVersion(version))
      return unsupportedVersion(exchange, headers, version, requestId);
    if (kind === 'request' && (message as JsonRpcRequest).method === 'initialize') {
      return this.#initialize(exchange, message as JsonRpcRequest, headers, auth);
    }
    if (this.#sessions === undefined) {
      const slot = { id: undefined, state: newSessionState(version ?? ASSUMED_VERSION, {}, undefined) };
      return this.#inSession(exchange, message, kind, headers, auth, undefined, slot);
    }
    const id = exchange.header('mcp-session-id');
    if (id === undefined) {
      // 2025-11-25 transports §Session Management: requests without the session id get 400.
      return sendError(
        exchange,
        400,
        headers,
        ErrorCode.InvalidRequest,
        'Bad Request: the Mcp-Session-Id header is required; send initialize first',
        requestId,
      );
    }
    const found = this.#sessions.find(id, principalOf(auth));
    if (found instanceof Promise) {
      return found.then((runtime) => this.#inSession(exchange, message, kind, headers, auth, runtime, runtime));
    }
    return this.#inSession(exchange, message, kind, headers, auth, found, found);
  }

  /** The message, once its session is known; `runtime` undefined with a `slot` is a stateless endpoint's request. */
  #inSession(
    exchange: HttpExchange,
    message: JsonRpcMessage,
    kind: 'request' | 'notification' | 'response',
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
    runtime: SessionRuntime | undefined,
    slot: SessionSlot | undefined,
  ): void | Promise<void> {
    if (slot === undefined) {
      return sendError(
        exchange,
        404,
        headers,
        SESSION_NOT_FOUND,
        'Session not found: it expired or was terminated; send initialize to start a new one',
        kind === 'request' ? (message as JsonRpcRequest).id : null,
      );
    }
    if (kind === 'response') return this.#response(exchange, message as JsonRpcResponse, headers, runtime);
    if (kind === 'notification')
      return this.#notified(exchange, message as JsonRpcNotification, headers, runtime, auth);
    const request = message as JsonRpcRequest;
    if (runtime !== undefined && runtime.connection.inflight >= this.#maxStreams) {
      // A bound on the streams one session holds open; its running requests go on untouched.
      return sendError(
        exchange,
        429,
        headers,
        ErrorCode.InvalidRequest,
        `Too Many Requests: this session already has ${this.#maxStreams} requests in flight; wait for one to finish`,
        request.id,
      );
    }
    const reply = new HttpReply(exchange, headers, runtime, false, request.id);
    if (runtime !== undefined) return runtime.connection.respond(request, reply, auth);
    return this.#stateless(request, reply, slot, auth);
  }

  async #stateless(request: JsonRpcRequest, reply: HttpReply, slot: SessionSlot, auth: AuthInfo | undefined) {
    reply.finish(await this.#host.dispatcher.handleRequest(request, { link: reply, session: slot, auth }));
  }

  /** A client's answer to a server request. The call that asked may run on another instance: the 202 goes out only once it took the answer there. */
  async #response(
    exchange: HttpExchange,
    response: JsonRpcResponse,
    headers: Record<string, string>,
    runtime: SessionRuntime | undefined,
  ): Promise<void> {
    if (runtime !== undefined && !runtime.connection.response(response)) {
      if (!(await this.#sessions?.relay(runtime.id, response)))
        return notHeld(exchange, headers, `nothing waits for the answer with id ${describeValue(response.id)}`);
    }
    exchange.send(202, headers);
  }

  async #notified(
    exchange: HttpExchange,
    notification: JsonRpcNotification,
    headers: Record<string, string>,
    runtime: SessionRuntime | undefined,
    auth: AuthInfo | undefined,
  ): Promise<void> {
    if (
      runtime !== undefined &&
      notification.method === 'notifications/cancelled' &&
      !(await this.#cancel(runtime, notification))
    )
      return notHeld(
        exchange,
        headers,
        `no request with id ${JSON.stringify(notification.params?.requestId)} is running to cancel`,
      );
    await this.#notification(notification, runtime, auth);
    exchange.send(202, headers);
  }

  /**
   * Cancels the request here, or relays the cancellation to the instance running it. False when no instance may
   * still run it: with a bus that reaches other processes, none took the cancellation. With a bus of this process
   * alone the request has simply finished (or never ran), and 2025-11-25 basic/utilities/cancellation says such a
   * cancellation is ignored, so that counts as done.
   */
  async #cancel(runtime: SessionRuntime, notification: JsonRpcNotification): Promise<boolean> {
    if (runtime.connection.cancel(notification.params?.requestId)) return true;
    const relayed = { jsonrpc: '2.0' as const, method: notification.method, params: notification.params };
    return (await this.#sessions?.relay(runtime.id, relayed)) === true || this.#host.events.local === true;
  }

  /**
   * A JSON-RPC batch: served for sessions that negotiated 2025-03-26 or older, refused with 400 (-32600) otherwise.
   * 2025-03-26 transports §Sending Messages: responses and notifications only get 202; with requests, the answer is
   * one JSON array, or an SSE stream carrying each response.
   */
  async postBatch(
    exchange: HttpExchange,
    items: unknown[],
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
  ): Promise<void> {
    const version = exchange.header('mcp-protocol-version');
    if (version !== undefined && version !== MODERN_VERSION && !isLegacyVersion(version))
      return unsupportedVersion(exchange, headers, version, null);
    const id = exchange.header('mcp-session-id');
    let runtime: SessionRuntime | undefined;
    if (this.#sessions !== undefined && id !== undefined && version !== MODERN_VERSION) {
      runtime = await this.#sessions.find(id, principalOf(auth));
      if (runtime === undefined) return sendError(exchange, 404, headers, SESSION_NOT_FOUND, 'Session not found');
    }
    const members = readBatch(items, version === MODERN_VERSION ? version : runtime?.state.protocolVersion);
    if (typeof members === 'string' || runtime === undefined) {
      // Without a session readBatch always refuses, so `members` is the reason here.
      return sendError(exchange, 400, headers, ErrorCode.InvalidRequest, String(members));
    }
    const { connection } = runtime;
    const reply = new BatchReply(exchange, headers, runtime);
    const answers = await serveBatch(
      members,
      {
        request: async (request) => {
          const link = reply.member();
          return link.finish((await connection.request(request, link, auth)).body);
        },
        notification: (notification) => connection.notification(notification, auth),
        response: (response) => void connection.response(response),
      },
      (answer) => reply.answer(answer),
    );
    if (expectsAnswers(members)) reply.finish(answers);
    else exchange.send(202, headers);
  }

  async #initialize(
    exchange: HttpExchange,
    request: JsonRpcRequest,
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
  ): Promise<void> {
    const slot: SessionSlot = { id: undefined, state: undefined };
    const reply = new HttpReply(exchange, headers, undefined, false);
    const result = await this.#host.dispatcher.handleRequest(request, { link: reply, session: slot, auth });
    if (slot.state === undefined || this.#sessions === undefined) return reply.finish(result);
    let runtime: SessionRuntime;
    try {
      runtime = await this.#sessions.create(slot.state, principalOf(auth));
    } catch (error) {
      if (!(error instanceof SessionLimitError)) throw error;
      // The bound on sessions stops this one; the answer says so, and no existing session is forgotten for it.
      return sendError(
        exchange,
        503,
        headers,
        ErrorCode.InternalError,
        `Service Unavailable: no session was opened; ${error.message}. Try again later`,
        request.id,
        { 'retry-after': '60' },
      );
    }
    reply.finish(result, { 'mcp-session-id': runtime.id });
  }

  /** A session's notification goes to its connection; without sessions only the server's hooks see it. */
  async #notification(
    message: JsonRpcNotification,
    runtime: SessionRuntime | undefined,
    auth: AuthInfo | undefined,
  ): Promise<void> {
    if (runtime !== undefined) return runtime.connection.notification(message, auth);
    await this.#host.notified(
      { method: message.method, params: message.params ?? {} },
      { era: 'legacy', auth: auth ?? ANONYMOUS },
    );
  }

  /**
   * The session a GET or DELETE names; undefined once 400 (unsupported version), 405 (no session to name, or a
   * 2026-07-28 client, which has neither GET streams nor sessions) or 404 has been answered.
   */
  async #namedSession(
    exchange: HttpExchange,
    headers: Record<string, string>,
    purpose: string,
    auth: AuthInfo | undefined,
  ): Promise<SessionRuntime | undefined> {
    const version = exchange.header('mcp-protocol-version');
    if (version !== undefined && version !== MODERN_VERSION && !isLegacyVersion(version)) {
      unsupportedVersion(exchange, headers, version, null);
      return undefined;
    }
    const id = exchange.header('mcp-session-id');
    // 2026-07-28 transports/streamable-http §Backward Compatibility: GET or DELETE gets 405; a session id is ignored.
    if (this.#sessions === undefined || id === undefined || version === MODERN_VERSION) {
      sendError(
        exchange,
        405,
        headers,
        ErrorCode.InvalidRequest,
        `Method Not Allowed: ${purpose} needs a session`,
        null,
        { allow: 'POST' },
      );
      return undefined;
    }
    const runtime = await this.#sessions.find(id, principalOf(auth));
    if (runtime === undefined) sendError(exchange, 404, headers, SESSION_NOT_FOUND, 'Session not found');
    return runtime;
  }

  /** GET: the session's standalone stream, or the resumption of any of its streams with `Last-Event-ID`. */
  async get(exchange: HttpExchange, headers: Record<string, string>, auth: AuthInfo | undefined): Promise<void> {
    if (!accepts(exchange.header('accept'), 'text/event-stream')) {
      return sendError(
        exchange,
        406,
        headers,
        ErrorCode.InvalidRequest,
        'Not Acceptable: GET needs Accept: text/event-stream',
      );
    }
    const runtime = await this.#namedSession(exchange, headers, 'a GET stream', auth);
    if (runtime === undefined) return;
    const lastEventId = exchange.header('last-event-id');
    if (lastEventId !== undefined && this.#events !== undefined)
      return resume(exchange, runtime, this.#events, this.#sessions, lastEventId, headers);
    const standalone = runtime.standalone;
    if (standalone?.connected || (standalone !== undefined && runtime.isResumedHere(standalone.id))) {
      return sendError(
        exchange,
        409,
        headers,
        ErrorCode.InvalidRequest,
        'Conflict: this session already has a GET stream open',
      );
    }
    const writer = exchange.stream(200, { ...SSE_HEADERS, ...headers });
    if (standalone === undefined) {
      const created = new SseStream(runtime.newStreamId(), writer, this.#events);
      runtime.standalone = created;
      await runtime.connection.listen((notification) => created.send(notification));
    } else {
      // The stream may be followed on another instance since a resume there; this connection replaces that one.
      runtime.letGoOf(standalone.id);
      standalone.attach(writer);
      this.#sessions?.announceResumed(runtime.id, standalone.id);
    }
    if (runtime.state.protocolVersion >= '2025-11-25') runtime.standalone?.prime(runtime.retryMs);
  }

  async delete(exchange: HttpExchange, headers: Record<string, string>, auth: AuthInfo | undefined): Promise<void> {
    const runtime = await this.#namedSession(exchange, headers, 'DELETE', auth);
    if (runtime === undefined || this.#sessions === undefined) return;
    await this.#sessions.terminate(runtime);
    await this.#events?.forget?.(`${runtime.id}~`);
    exchange.send(200, headers);
  }
}

/**
 * No instance holds the request a client's answer or cancellation names (it finished, was cancelled or timed out,
 * or the instance running it stopped): 409 rather than a 202 that would claim a delivery. 2025-11-25 transports
 * §Sending Messages: input the server cannot accept gets an HTTP error status.
 */
function notHeld(exchange: HttpExchange, headers: Record<string, string>, what: string): void {
  sendError(
    exchange,
    409,
    headers,
    ErrorCode.InvalidRequest,
    `Conflict: ${what} on this session, on any instance (it finished, was cancelled or timed out, or the instance running it stopped); nothing was delivered`,
  );
}

function principalOf(auth: AuthInfo | undefined): string {
  return auth === undefined ? '' : principalKey(auth);
}

/** 2025-11-25 transports §Protocol Version Header: an invalid or unsupported version MUST get 400 (POST, GET, DELETE). */
function unsupportedVersion(
  exchange: HttpExchange,
  headers: Record<string, string>,
  version: string,
  id: RequestId | null,
): void {
  sendError(
    exchange,
    400,
    headers,
    ErrorCode.InvalidRequest,
    `Bad Request: unsupported MCP-Protocol-Version "${version}"; supported: ${SUPPORTED_VERSIONS.join(', ')}`,
    id,
  );
}
