import type { AuthInfo } from '../../protocol/auth.js';
import { principalKey } from '../../protocol/auth.js';
import { expectsAnswers, readBatch, serveBatch } from '../../protocol/batch.js';
import type { Dispatcher } from '../../protocol/engine.js';
import { ErrorCode } from '../../protocol/errors.js';
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  RequestId,
} from '../../protocol/messages.js';
import type { SessionSlot } from '../../protocol/method-table.js';
import { newSessionState } from '../../protocol/session.js';
import { isLegacyVersion, MODERN_VERSION, SUPPORTED_VERSIONS } from '../../protocol/versions.js';
import type { ServerCore } from '../../server/core.js';
import { sessionNotification } from '../../server/session-notifications.js';
import type { ServerEvent } from '../../stores/bus.js';
import type { EventStore } from '../../stores/event-store.js';
import { BatchReply } from './batch-reply.js';
import type { HttpExchange } from './exchange.js';
import { accepts } from './media-type.js';
import { HttpReply } from './reply.js';
import { sendError } from './responses.js';
import type { SessionRuntime } from './session-runtime.js';
import type { SessionManager } from './sessions.js';
import { SSE_HEADERS, SseStream, sseEvent } from './sse.js';

/** Methods whose handling changes session state that must be written back to the store. */
const STATEFUL_METHODS = new Set(['logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);
/** 2025-11-25 transports: a session-less request without the version header is assumed to be 2025-03-26. */
const ASSUMED_VERSION = '2025-03-26';
const SESSION_NOT_FOUND = -32001;

/** The 2025-era side of the endpoint: `initialize`, sessions, GET streams, resumption and DELETE. */
export class LegacyEndpoint {
  readonly #engine: Dispatcher;
  readonly #core: ServerCore;
  readonly #sessions: SessionManager | undefined;
  readonly #events: EventStore | undefined;

  constructor(
    engine: Dispatcher,
    core: ServerCore,
    sessions: SessionManager | undefined,
    events: EventStore | undefined,
  ) {
    this.#engine = engine;
    this.#core = core;
    this.#sessions = sessions;
    this.#events = events;
  }

  async post(
    exchange: HttpExchange,
    message: JsonRpcMessage,
    kind: 'request' | 'notification' | 'response',
    headers: Record<string, string>,
    auth: AuthInfo | undefined,
  ): Promise<void> {
    // 2026-07-28 basic/index §Error Responses: an error carries the request's id whenever it could be read.
    const requestId = kind === 'request' ? (message as JsonRpcRequest).id : null;
    const version = exchange.header('mcp-protocol-version');
    if (version !== undefined && !isLegacyVersion(version))
      return unsupportedVersion(exchange, headers, version, requestId);
    if (kind === 'request' && (message as JsonRpcRequest).method === 'initialize') {
      return this.#initialize(exchange, message as JsonRpcRequest, headers, auth);
    }
    let runtime: SessionRuntime | undefined;
    let slot: SessionSlot;
    if (this.#sessions === undefined) {
      slot = { id: undefined, state: newSessionState(version ?? ASSUMED_VERSION, {}, undefined) };
    } else {
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
      runtime = await this.#sessions.find(id, principalOf(auth));
      if (runtime === undefined) {
        return sendError(
          exchange,
          404,
          headers,
          SESSION_NOT_FOUND,
          'Session not found: it expired or was terminated; send initialize to start a new one',
          requestId,
        );
      }
      slot = runtime;
    }
    if (kind === 'response') {
      runtime?.settle(message as JsonRpcResponse);
      return exchange.send(202, headers);
    }
    if (kind === 'notification') {
      await this.#notification(message as JsonRpcNotification, runtime);
      return exchange.send(202, headers);
    }
    const request = message as JsonRpcRequest;
    const reply = new HttpReply(exchange, headers, runtime, false);
    runtime?.track(request.id, reply);
    try {
      const result = await this.#engine.handleRequest(request, { link: reply, session: slot, auth });
      if (runtime !== undefined && STATEFUL_METHODS.has(request.method)) await this.#sessions?.save(runtime);
      reply.finish(result);
    } finally {
      runtime?.untrack(request.id);
    }
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
    const session = runtime;
    const reply = new BatchReply(exchange, headers, session);
    const answers = await serveBatch(
      members,
      {
        request: async (request) => {
          const link = reply.member();
          session.track(request.id, link);
          try {
            const result = await this.#engine.handleRequest(request, { link, session, auth });
            if (STATEFUL_METHODS.has(request.method)) await this.#sessions?.save(session);
            return link.finish(result.body);
          } finally {
            session.untrack(request.id);
          }
        },
        notification: (notification) => this.#notification(notification, session),
        response: (response) => void session.settle(response),
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
    const result = await this.#engine.handleRequest(request, { link: reply, session: slot, auth });
    if (slot.state === undefined || this.#sessions === undefined) return reply.finish(result);
    const runtime = await this.#sessions.create(slot.state, principalOf(auth));
    reply.finish(result, { 'mcp-session-id': runtime.id });
  }

  async #notification(message: JsonRpcNotification, runtime: SessionRuntime | undefined): Promise<void> {
    if (runtime === undefined) return;
    if (message.method === 'notifications/initialized') {
      runtime.state.initialized = true;
      await this.#sessions?.save(runtime);
    } else if (message.method === 'notifications/cancelled') {
      const id = message.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') runtime.cancel(id as RequestId);
    }
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
      return this.#resume(exchange, runtime, lastEventId, headers);
    if (runtime.standalone?.connected) {
      return sendError(
        exchange,
        409,
        headers,
        ErrorCode.InvalidRequest,
        'Conflict: this session already has a GET stream open',
      );
    }
    const writer = exchange.stream(200, { ...SSE_HEADERS, ...headers });
    if (runtime.standalone === undefined) {
      runtime.standalone = new SseStream(runtime.newStreamId(), writer, this.#events);
      runtime.unsubscribe = this.#core.bus.subscribe((event) => deliver(runtime, event));
    } else {
      runtime.standalone.attach(writer);
    }
    if (runtime.state.protocolVersion >= '2025-11-25') runtime.standalone.prime(runtime.retryMs);
  }

  async #resume(
    exchange: HttpExchange,
    runtime: SessionRuntime,
    lastEventId: string,
    headers: Record<string, string>,
  ): Promise<void> {
    const missed: string[] = [];
    const events = this.#events as EventStore;
    const streamId = await events.replayAfter(lastEventId, (eventId, message) =>
      missed.push(sseEvent(message, eventId)),
    );
    if (streamId === undefined || !runtime.ownsStream(streamId)) {
      // 2025-11-25 transports §Resumability: never replay another stream's (or session's) messages.
      return sendError(
        exchange,
        404,
        headers,
        ErrorCode.InvalidRequest,
        'Unknown or expired Last-Event-ID for this session',
      );
    }
    const writer = exchange.stream(200, { ...SSE_HEADERS, ...headers });
    for (const event of missed) writer.write(event);
    const live = streamId === runtime.standalone?.id ? runtime.standalone : runtime.liveStream(streamId);
    if (live === undefined) writer.end();
    else live.attach(writer);
  }

  async delete(exchange: HttpExchange, headers: Record<string, string>, auth: AuthInfo | undefined): Promise<void> {
    const runtime = await this.#namedSession(exchange, headers, 'DELETE', auth);
    if (runtime === undefined || this.#sessions === undefined) return;
    await this.#sessions.terminate(runtime);
    await this.#events?.forget?.(`${runtime.id}~`);
    exchange.send(200, headers);
  }
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

/** Sends a server event on a session's GET stream if the session wants it (list changes; subscribed URIs). */
function deliver(runtime: SessionRuntime, event: ServerEvent): void {
  const notification = sessionNotification(event, runtime.state.subscriptions);
  if (notification !== undefined) runtime.standalone?.send(notification);
}
