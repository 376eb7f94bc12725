import type { AuthInfo, Link } from '../protocol/link.js';
import type {
  CallToolResult,
  ClientCapabilities,
  GetPromptResult,
  JsonRpcRequest,
  Params,
  ReadResourceResult,
} from '../protocol/messages.js';
import type { SessionSlot } from '../protocol/method-table.js';
import { LATEST_LEGACY_VERSION, META, MODERN_VERSION } from '../protocol/versions.js';
import type { Switchboard } from '../server/switchboard.js';

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

/** A JSON-RPC error the server answered with. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

/** A notification the server sent while handling a request. */
export interface ReceivedNotification {
  method: string;
  params: Params;
}

/**
 * Drives a server in memory, with no transport: the quickest way to unit-test tools, resources and prompts.
 * In the modern era it follows MRTR rounds itself, answering input requests with the given handlers.
 */
export class TestClient {
  readonly #server: Switchboard;
  readonly #options: TestClientOptions;
  readonly #capabilities: ClientCapabilities;
  readonly #session: SessionSlot = { id: undefined, state: undefined };
  #nextId = 0;
  /** Every notification received so far, in order. */
  readonly notifications: ReceivedNotification[] = [];

  constructor(server: Switchboard, options: TestClientOptions = {}) {
    this.#server = server;
    this.#options = options;
    const declared: ClientCapabilities = {};
    if (options.elicit !== undefined) declared.elicitation = {};
    if (options.sample !== undefined) declared.sampling = {};
    if (options.roots !== undefined) declared.roots = {};
    this.#capabilities = options.capabilities ?? declared;
  }

  /** For the legacy era: the `initialize` handshake (called for you by every other method). */
  async connect(): Promise<Params> {
    return this.#send('initialize', {
      protocolVersion: LATEST_LEGACY_VERSION,
      capabilities: this.#capabilities,
      clientInfo: { name: 'switchboard-test-client', version: '1.0.0' },
    });
  }

  listTools(): Promise<Params> {
    return this.request('tools/list');
  }

  callTool(name: string, args: Params = {}): Promise<CallToolResult> {
    return this.request('tools/call', { name, arguments: args }) as Promise<CallToolResult>;
  }

  readResource(uri: string): Promise<ReadResourceResult> {
    return this.request('resources/read', { uri }) as Promise<ReadResourceResult>;
  }

  getPrompt(name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
    return this.request('prompts/get', { name, arguments: args }) as Promise<GetPromptResult>;
  }

  /** Sends any request; MRTR rounds are completed before this resolves. */
  async request(method: string, params: Params = {}): Promise<Params> {
    if (this.#options.era === 'legacy' && this.#session.state === undefined) await this.connect();
    let round: Params = params;
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await this.#send(method, round);
      if (result.resultType !== 'input_required') return result;
      const inputResponses: Params = {};
      for (const [key, input] of Object.entries((result.inputRequests ?? {}) as Record<string, Params>)) {
        inputResponses[key] = await this.#answer(String(input.method), (input.params ?? {}) as Params);
      }
      round = { ...params, inputResponses };
      if (result.requestState !== undefined) round.requestState = result.requestState;
    }
    throw new Error(`${method} still needed input after 10 rounds`);
  }

  async #send(method: string, params: Params): Promise<Params> {
    const modern = this.#options.era !== 'legacy';
    const id = ++this.#nextId;
    const message: JsonRpcRequest = { jsonrpc: '2.0', id, method, params: modern ? this.#withMeta(params) : params };
    const reply = await this.#server.engine.handleRequest(message, {
      link: this.#link(),
      session: modern ? undefined : this.#session,
      auth: this.#options.auth,
    });
    const response = JSON.parse(reply.body) as {
      result?: Params;
      error?: { code: number; message: string; data?: unknown };
    };
    if (response.error !== undefined)
      throw new RpcError(response.error.code, response.error.message, response.error.data);
    return response.result ?? {};
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

  #link(): Link {
    const controller = new AbortController();
    return {
      notify: (method, params) => {
        this.notifications.push({ method, params });
      },
      request: (method, params) => this.#answer(method, params),
      signal: controller.signal,
    };
  }

  async #answer(method: string, params: Params): Promise<Params> {
    const { elicit, sample, roots } = this.#options;
    if (method === 'elicitation/create' && elicit !== undefined) return elicit(params);
    if (method === 'sampling/createMessage' && sample !== undefined) return sample(params);
    if (method === 'roots/list' && roots !== undefined) return roots();
    throw new Error(`The test client has no handler for ${method}`);
  }
}
