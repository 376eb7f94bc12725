import type {
  CompleteRequestParamsSchema,
  ProgressNotificationParamsSchema,
  SubscriptionFilterSchema,
} from '@modelcontextprotocol/core';
import type { z } from 'zod';
import type { AuthInfo } from '../protocol/auth.js';
import { Connection } from '../protocol/connection.js';
import { ErrorCode, SwitchboardError } from '../protocol/errors.js';
import type { McpHost } from '../protocol/host.js';
import type {
  CallToolResult,
  ClientCapabilities,
  CompleteResult,
  GetPromptResult,
  JsonRpcNotification,
  JsonRpcRequest,
  LoggingLevel,
  Params,
  PromptDefinition,
  ReadResourceResult,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ToolDefinition,
} from '../protocol/messages.js';
import { LATEST_LEGACY_VERSION, META, MODERN_VERSION } from '../protocol/versions.js';
import { MemoryLink } from './memory-link.js';

/** Answers the server's questions the way a real client's user or model would. */
export interface TestClientHandlers {
  elicit?: (params: Params) => Params | Promise<Params>;
  sample?: (params: Params) => Params | Promise<Params>;
  roots?: () => Params | Promise<Params>;
}

export interface TestClientOptions extends TestClientHandlers {
  /** `modern` (2026-07-28, default) or `legacy` (a 2025-11-25 session). */
  era?: 'modern' | 'legacy';
  /** Declared capabilities; by default those for which a handler is given. */
  capabilities?: ClientCapabilities;
  /** The caller's identity, as an authorization layer would set it. */
  auth?: AuthInfo;
  /** Minimum level of log messages to receive (modern sends none unless set). */
  logLevel?: string;
}

/** The params of one `notifications/progress`. */
export type ProgressUpdate = z.infer<typeof ProgressNotificationParamsSchema>;
/** The params of `completion/complete`: what is being completed, the argument so far, and the other arguments. */
export type CompleteParams = z.infer<typeof CompleteRequestParamsSchema>;
/** What `subscriptions/listen` asks for (2026-07-28). */
export type SubscriptionFilter = z.infer<typeof SubscriptionFilterSchema>;

/** Per-call options, as the official SDK's clients take them. */
export interface RequestOptions {
  /**
   * Cancels the request when it aborts: a legacy client sends `notifications/cancelled`, a modern one closes the
   * request's stream. The handler's `ctx.signal` aborts, the call rejects with the signal's reason, and whatever
   * the handler sends or returns afterwards is dropped.
   */
  signal?: AbortSignal;
  /** Asks for progress (sets `_meta.progressToken`) and receives this request's progress notifications in order. */
  onProgress?: (progress: ProgressUpdate) => void;
}

export interface ListOptions extends RequestOptions {
  /** Fetches only the page after this cursor; without one, every page is fetched and the items joined. */
  cursor?: string;
}

/** A list result; `nextCursor` is set only on a single page asked for with `cursor`. */
export type ListResult<K extends string, T> = { [key in K]: T[] } & { nextCursor?: string; _meta?: Params };

/** An open `subscriptions/listen` stream (2026-07-28). */
export interface Subscription {
  /** The part of the filter the server agreed to honour. */
  readonly honoredFilter: SubscriptionFilter;
  /** Ends the subscription (the server sees the stream close). */
  close(): void;
  /** Settles once the subscription has ended: `local` after close(), `graceful` when the server ended it. */
  readonly closed: Promise<'local' | 'graceful'>;
}

/** A JSON-RPC error the server answered with. */
export class RpcError extends SwitchboardError {
  /** The JSON-RPC error code (the stable string code is `ERR_RPC`). */
  readonly rpcCode: number;
  readonly data: unknown;
  constructor(code: number, message: string, data: unknown) {
    super('ERR_RPC', message);
    this.rpcCode = code;
    this.data = data;
  }
}

/** A `TestClient` request that could not complete: cancelled, endless input rounds, a repeated cursor. */
export class TestClientError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_TEST_CLIENT', message);
  }
}

/** A notification the server sent, while handling a request or (list changes, resource updates) unprompted. */
export interface ReceivedNotification {
  method: string;
  params: Params;
}

type NotificationListener = (method: string, params: Params) => void;

/**
 * Drives a server in memory, with no transport: the quickest way to unit-test tools, resources and prompts.
 * In the modern era it follows MRTR rounds itself, answering input requests with the given handlers; in the
 * legacy era it keeps a session, answers the server's requests and receives list changes like a connection.
 */
export class TestClient {
  /** The connection layer the stdio and HTTP transports run, driven here without bytes. */
  readonly #connection: Connection;
  readonly #options: TestClientOptions;
  readonly #capabilities: ClientCapabilities;
  #nextId = 0;
  #nextProgressToken = 0;
  /** Every notification received so far, in order. */
  readonly notifications: ReceivedNotification[] = [];

  constructor(server: McpHost, options: TestClientOptions = {}) {
    this.#connection = new Connection(server, { id: undefined, state: undefined });
    this.#options = options;
    const declared: ClientCapabilities = {};
    if (options.elicit !== undefined) declared.elicitation = {};
    if (options.sample !== undefined) declared.sampling = {};
    if (options.roots !== undefined) declared.roots = {};
    this.#capabilities = options.capabilities ?? declared;
  }

  /** For the legacy era: the `initialize` handshake (called for you by every other method). */
  async connect(): Promise<Params> {
    const result = await this.#send('initialize', {
      protocolVersion: LATEST_LEGACY_VERSION,
      capabilities: this.#capabilities,
      clientInfo: { name: 'switchboard-test-client', version: '1.0.0' },
    });
    await this.#notifyServer('notifications/initialized', {});
    // Like a stdio connection or an HTTP session's GET stream: list changes and subscribed updates arrive unasked.
    await this.#connection.listen((line) => {
      const { method, params } = JSON.parse(line) as JsonRpcNotification;
      this.notifications.push({ method, params: params ?? {} });
    });
    return result;
  }

  /** Cancels requests still running (their handlers' `ctx.signal` aborts) and stops receiving notifications. */
  close(): void {
    this.#connection.close('client closed');
  }

  listTools(options?: ListOptions): Promise<ListResult<'tools', ToolDefinition>> {
    return this.#list('tools/list', 'tools', options) as Promise<ListResult<'tools', ToolDefinition>>;
  }

  callTool(name: string, args: Params = {}, options?: RequestOptions): Promise<CallToolResult> {
    return this.request('tools/call', { name, arguments: args }, options) as Promise<CallToolResult>;
  }

  listResources(options?: ListOptions): Promise<ListResult<'resources', ResourceDefinition>> {
    return this.#list('resources/list', 'resources', options) as Promise<ListResult<'resources', ResourceDefinition>>;
  }

  listResourceTemplates(options?: ListOptions): Promise<ListResult<'resourceTemplates', ResourceTemplateDefinition>> {
    return this.#list('resources/templates/list', 'resourceTemplates', options) as Promise<
      ListResult<'resourceTemplates', ResourceTemplateDefinition>
    >;
  }

  readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult> {
    return this.request('resources/read', { uri }, options) as Promise<ReadResourceResult>;
  }

  /** Legacy era: `notifications/resources/updated` for `uri` is recorded from now on. */
  subscribeResource(uri: string): Promise<Params> {
    return this.request('resources/subscribe', { uri });
  }

  unsubscribeResource(uri: string): Promise<Params> {
    return this.request('resources/unsubscribe', { uri });
  }

  listPrompts(options?: ListOptions): Promise<ListResult<'prompts', PromptDefinition>> {
    return this.#list('prompts/list', 'prompts', options) as Promise<ListResult<'prompts', PromptDefinition>>;
  }

  getPrompt(name: string, args: Record<string, string> = {}, options?: RequestOptions): Promise<GetPromptResult> {
    return this.request('prompts/get', { name, arguments: args }, options) as Promise<GetPromptResult>;
  }

  complete(params: CompleteParams, options?: RequestOptions): Promise<CompleteResult> {
    return this.request('completion/complete', params as Params, options) as Promise<CompleteResult>;
  }

  /** Legacy era only (2026-07-28 removed it; there, pass `logLevel` to the constructor). */
  setLoggingLevel(level: LoggingLevel): Promise<Params> {
    return this.request('logging/setLevel', { level });
  }

  /**
   * 2026-07-28: opens a `subscriptions/listen` stream and resolves once the server acknowledges it. What the
   * stream delivers is recorded in `notifications` until the subscription is closed (or `signal` aborts).
   */
  async listen(filter: SubscriptionFilter, options: { signal?: AbortSignal } = {}): Promise<Subscription> {
    const local = new AbortController();
    const signal = options.signal === undefined ? local.signal : AbortSignal.any([options.signal, local.signal]);
    let acknowledge: (filter: SubscriptionFilter) => void = () => {};
    const acknowledged = new Promise<SubscriptionFilter>((resolve) => {
      acknowledge = resolve;
    });
    const stream = this.#send('subscriptions/listen', { notifications: filter }, signal, (method, params) => {
      if (method === 'notifications/subscriptions/acknowledged')
        acknowledge(params.notifications as SubscriptionFilter);
    });
    const closed = stream.then(
      () => 'graceful' as const,
      () => 'local' as const,
    );
    const ended = stream.then(() => {
      throw new TestClientError('subscriptions/listen ended before it was acknowledged');
    });
    const honoredFilter = await Promise.race([acknowledged, ended]);
    return { honoredFilter, close: () => local.abort(), closed };
  }

  /** Sends any request; MRTR rounds are completed before this resolves. */
  async request(method: string, params: Params = {}, options: RequestOptions = {}): Promise<Params> {
    if (this.#options.era === 'legacy' && this.#connection.slot.state === undefined) await this.connect();
    const { signal, onProgress } = options;
    let base = params;
    let onNotify: NotificationListener | undefined;
    if (onProgress !== undefined) {
      const token = `progress-${++this.#nextProgressToken}`;
      base = { ...params, _meta: { ...(params._meta as Params | undefined), progressToken: token } };
      onNotify = (notification, update) => {
        if (notification === 'notifications/progress' && update.progressToken === token)
          onProgress(update as ProgressUpdate);
      };
    }
    let round: Params = base;
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await this.#send(method, round, signal, onNotify);
      if (result.resultType !== 'input_required') return result;
      const inputResponses: Params = {};
      for (const [key, input] of Object.entries((result.inputRequests ?? {}) as Record<string, Params>)) {
        inputResponses[key] = await this.#answer(String(input.method), (input.params ?? {}) as Params);
      }
      round = { ...base, inputResponses };
      if (result.requestState !== undefined) round.requestState = result.requestState;
    }
    throw new TestClientError(`${method} still needed input after 10 rounds`);
  }

  /** One list request, or (without a cursor) every page of it joined, as the official SDK's clients do. */
  async #list(method: string, key: string, options: ListOptions = {}): Promise<Params> {
    const { cursor, ...rest } = options;
    if (cursor !== undefined) return this.request(method, { cursor }, rest);
    const first = await this.request(method, {}, rest);
    const items = [...((first[key] as unknown[] | undefined) ?? [])];
    const seen = new Set<unknown>();
    let next = first.nextCursor;
    while (next !== undefined) {
      if (seen.has(next)) throw new TestClientError(`${method} returned the cursor ${String(next)} twice`);
      seen.add(next);
      const page = await this.request(method, { cursor: next }, rest);
      items.push(...((page[key] as unknown[] | undefined) ?? []));
      next = page.nextCursor;
    }
    const { nextCursor: _last, ...joined } = first;
    return { ...joined, [key]: items };
  }

  async #send(method: string, params: Params, signal?: AbortSignal, onNotify?: NotificationListener): Promise<Params> {
    signal?.throwIfAborted();
    const modern = this.#options.era !== 'legacy';
    const id = ++this.#nextId;
    const message: JsonRpcRequest = { jsonrpc: '2.0', id, method, params: modern ? this.#withMeta(params) : params };
    const link = new MemoryLink(
      (notification, notificationParams) => {
        this.notifications.push({ method: notification, params: notificationParams });
        onNotify?.(notification, notificationParams);
      },
      modern
        ? undefined
        : (request, requestParams, requestSignal) =>
            this.#connection.ask(request, requestParams, requestSignal, (encoded) => void this.#respond(encoded)),
    );
    let detach: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      if (signal === undefined) return;
      const onAbort = () => {
        // 2026-07-28: an HTTP client cancels by closing the request's stream; in a 2025-era session (and on
        // stdio) it sends notifications/cancelled, which the transport routes to the request's link.
        if (modern) link.cancel();
        else void this.#notifyServer('notifications/cancelled', { requestId: id, reason: String(signal.reason) });
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      detach = () => signal.removeEventListener('abort', onAbort);
    });
    try {
      const reply = await Promise.race([this.#connection.request(message, link, this.#options.auth), aborted]);
      if (link.cancelled) throw new TestClientError(`${method} was cancelled`);
      const response = JSON.parse(reply.body) as {
        result?: Params;
        error?: { code: number; message: string; data?: unknown };
      };
      if (response.error !== undefined)
        throw new RpcError(response.error.code, response.error.message, response.error.data);
      return response.result ?? {};
    } finally {
      detach?.();
    }
  }

  /** A client-to-server notification, through the same connection layer the transports use. */
  #notifyServer(method: string, params: Params): Promise<void> {
    return this.#connection.notification({ jsonrpc: '2.0', method, params }, this.#options.auth);
  }

  #withMeta(params: Params): Params {
    const meta: Params = {
      ...(params._meta as Params | undefined),
      [META.protocolVersion]: MODERN_VERSION,
      [META.clientCapabilities]: this.#capabilities,
      [META.clientInfo]: { name: 'switchboard-test-client', version: '1.0.0' },
    };
    if (this.#options.logLevel !== undefined) meta[META.logLevel] = this.#options.logLevel;
    return { ...params, _meta: meta };
  }

  /** Answers a legacy server-to-client request sent on a request's stream. */
  async #respond(encoded: string): Promise<void> {
    const { id, method, params } = JSON.parse(encoded) as JsonRpcRequest;
    try {
      this.#connection.response({ jsonrpc: '2.0', id, result: await this.#answer(method, params ?? {}) });
    } catch (error) {
      const code = error instanceof RpcError ? error.rpcCode : ErrorCode.InternalError;
      const text = error instanceof Error ? error.message : String(error);
      this.#connection.response({ jsonrpc: '2.0', id, error: { code, message: text } });
    }
  }

  async #answer(method: string, params: Params): Promise<Params> {
    const { elicit, sample, roots } = this.#options;
    if (method === 'elicitation/create' && elicit !== undefined) return elicit(params);
    if (method === 'sampling/createMessage' && sample !== undefined) return sample(params);
    if (method === 'roots/list' && roots !== undefined) return roots();
    throw new RpcError(ErrorCode.MethodNotFound, `The test client has no handler for ${method}`, undefined);
  }
}
