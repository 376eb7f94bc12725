import { ErrorCode } from '../protocol/errors.js';
import type {
  CallToolResult,
  ClientCapabilities,
  ElicitParams,
  GetPromptResult,
  Implementation,
  JsonRpcNotification,
  JsonRpcRequest,
  Params,
  PromptDefinition,
  ReadResourceResult,
  ResourceDefinition,
  ResourceTemplateDefinition,
  ServerCapabilities,
  ToolDefinition,
} from '../protocol/messages.js';
import { LATEST_LEGACY_VERSION, META, MODERN_VERSION } from '../protocol/versions.js';
import type { CallOptions, ClientOptions, EraChoice, LogMessage, ProgressUpdate } from './client-options.js';
import { ConnectionError, RpcError } from './errors.js';
import { parameterHeaders } from './http-headers.js';
import type { ClientTransport, SendOptions } from './transport.js';

const DEFAULT_CLIENT_INFO: Implementation = { name: 'switchboard-client', version: '1.0.0' };
/** MRTR rounds one request may take before the client gives up on it (2026-07-28 basic/patterns/mrtr). */
const MAX_INPUT_ROUNDS = 10;

/** What the server said about itself when the conversation started. */
export interface ServerDescription {
  /** The revision spoken: `2026-07-28`, or the version `initialize` negotiated. */
  protocolVersion: string;
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities;
  instructions: string | undefined;
}

/**
 * A client for any MCP server, in either era, over any `ClientTransport`. Start one with `connect()`.
 * 2026-07-28: every request carries the `_meta` envelope and input requests are answered in MRTR rounds;
 * 2025-11-25: an `initialize` handshake, then the server's own requests are answered on the way.
 */
export class McpClient {
  readonly #transport: ClientTransport;
  readonly #options: ClientOptions;
  readonly #capabilities: ClientCapabilities;
  readonly #progress = new Map<string, (update: ProgressUpdate) => void>();
  readonly #tools = new Map<string, ToolDefinition>();
  #nextId = 0;
  #nextProgressToken = 0;
  #description: ServerDescription | undefined;

  constructor(transport: ClientTransport, options: ClientOptions = {}) {
    this.#transport = transport;
    this.#options = options;
    this.#capabilities = options.elicit === undefined ? {} : { elicitation: { form: {} } };
  }

  /** The server's description; set once `start()` has resolved. */
  get server(): ServerDescription {
    if (this.#description === undefined) throw new ConnectionError('the client has not connected yet');
    return this.#description;
  }

  /** Whether the 2026-07-28 revision is spoken. */
  get modern(): boolean {
    return this.server.protocolVersion === MODERN_VERSION;
  }

  /** Starts the transport and the conversation in the chosen era. */
  async start(): Promise<ServerDescription> {
    await this.#transport.start({
      notification: (message) => this.#onNotification(message),
      request: (message) => this.#answer(message.method, message.params ?? {}),
    });
    const era: EraChoice = this.#options.era ?? 'auto';
    if (era !== '2025-11-25') {
      try {
        this.#description = await this.#discover();
        return this.#description;
      } catch (error) {
        if (era === '2026-07-28' || !legacyMightAnswer(error)) throw error;
      }
    }
    this.#description = await this.#initialize();
    return this.#description;
  }

  async listTools(options?: CallOptions): Promise<ToolDefinition[]> {
    const tools = (await this.#listAll('tools/list', 'tools', options)) as ToolDefinition[];
    for (const tool of tools) this.#tools.set(tool.name, tool);
    return tools;
  }

  /** Calls a tool. Its `x-mcp-header` arguments are mirrored into headers when `listTools` has seen its schema. */
  callTool(name: string, args: Params = {}, options?: CallOptions): Promise<CallToolResult> {
    const headers = parameterHeaders(this.#tools.get(name)?.inputSchema, args);
    return this.request('tools/call', { name, arguments: args }, { ...options, headers }) as Promise<CallToolResult>;
  }

  listResources(options?: CallOptions): Promise<ResourceDefinition[]> {
    return this.#listAll('resources/list', 'resources', options) as Promise<ResourceDefinition[]>;
  }

  listResourceTemplates(options?: CallOptions): Promise<ResourceTemplateDefinition[]> {
    return this.#listAll('resources/templates/list', 'resourceTemplates', options) as Promise<
      ResourceTemplateDefinition[]
    >;
  }

  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult> {
    return this.request('resources/read', { uri }, options) as Promise<ReadResourceResult>;
  }

  listPrompts(options?: CallOptions): Promise<PromptDefinition[]> {
    return this.#listAll('prompts/list', 'prompts', options) as Promise<PromptDefinition[]>;
  }

  getPrompt(name: string, args: Record<string, string> = {}, options?: CallOptions): Promise<GetPromptResult> {
    return this.request('prompts/get', { name, arguments: args }, options) as Promise<GetPromptResult>;
  }

  /** Any request; 2026-07-28 input rounds are completed (with `elicit`) before it resolves. */
  async request(
    method: string,
    params: Params = {},
    options: CallOptions & { headers?: Record<string, string> } = {},
  ): Promise<Params> {
    const { onProgress, ...send } = options;
    let base = params;
    let token: string | undefined;
    if (onProgress !== undefined) {
      token = `progress-${++this.#nextProgressToken}`;
      this.#progress.set(token, onProgress);
      base = { ...params, _meta: { ...(params._meta as Params | undefined), progressToken: token } };
    }
    try {
      if (!this.modern) return await this.#send(method, base, send);
      let round = base;
      for (let attempt = 0; attempt < MAX_INPUT_ROUNDS; attempt++) {
        const result = await this.#send(method, round, send);
        if (result.resultType !== 'input_required') return result;
        round = { ...base, inputResponses: await this.#answerInputs(result.inputRequests) };
        if (result.requestState !== undefined) round.requestState = result.requestState;
      }
      throw new ConnectionError(`${method} still needed input after ${MAX_INPUT_ROUNDS} rounds`);
    } finally {
      if (token !== undefined) this.#progress.delete(token);
    }
  }

  /** Ends the conversation (stops a stdio server, deletes a 2025-era HTTP session). */
  close(): Promise<void> {
    return this.#transport.close();
  }

  async #discover(): Promise<ServerDescription> {
    const result = await this.#send('server/discover', {}, {}, true);
    const versions = Array.isArray(result.supportedVersions) ? result.supportedVersions : [];
    if (!versions.includes(MODERN_VERSION)) {
      throw new RpcError(ErrorCode.UnsupportedProtocolVersion, `the server speaks ${versions.join(', ')} only`);
    }
    return {
      protocolVersion: MODERN_VERSION,
      serverInfo: (result._meta as Params | undefined)?.[META.serverInfo] as Implementation | undefined,
      capabilities: (result.capabilities ?? {}) as ServerCapabilities,
      instructions: typeof result.instructions === 'string' ? result.instructions : undefined,
    };
  }

  async #initialize(): Promise<ServerDescription> {
    const result = await this.#send('initialize', {
      protocolVersion: LATEST_LEGACY_VERSION,
      capabilities: this.#capabilities,
      clientInfo: this.#options.clientInfo ?? DEFAULT_CLIENT_INFO,
    });
    if (typeof result.protocolVersion !== 'string')
      throw new ConnectionError('initialize answered without protocolVersion');
    this.#transport.useLegacySession(result.protocolVersion);
    await this.#transport.notify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const capabilities = (result.capabilities ?? {}) as ServerCapabilities;
    if (this.#options.logLevel !== undefined && capabilities.logging !== undefined) {
      await this.#send('logging/setLevel', { level: this.#options.logLevel });
    }
    return {
      protocolVersion: result.protocolVersion,
      serverInfo: result.serverInfo as Implementation | undefined,
      capabilities,
      instructions: typeof result.instructions === 'string' ? result.instructions : undefined,
    };
  }

  /** Every page of a list, joined; a cursor seen twice ends it with an error rather than a loop. */
  async #listAll(method: string, key: string, options: CallOptions = {}): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<unknown>();
    let cursor: unknown;
    do {
      const page = await this.request(method, cursor === undefined ? {} : { cursor }, options);
      items.push(...((page[key] as unknown[] | undefined) ?? []));
      cursor = page.nextCursor;
      if (cursor !== undefined && seen.has(cursor))
        throw new ConnectionError(`${method} returned the cursor ${String(cursor)} twice`);
      seen.add(cursor);
    } while (cursor !== undefined);
    return items;
  }

  async #send(
    method: string,
    params: Params,
    options: SendOptions = {},
    modern = this.#description?.protocolVersion === MODERN_VERSION,
  ): Promise<Params> {
    const id = ++this.#nextId;
    const message: JsonRpcRequest = { jsonrpc: '2.0', id, method, params: modern ? this.#withMeta(params) : params };
    const response = await this.#transport.request(message, options);
    if (response.error !== undefined)
      throw new RpcError(response.error.code, response.error.message, response.error.data);
    return response.result ?? {};
  }

  /** The 2026-07-28 envelope (basic/index §General fields): version, capabilities, client info, log level. */
  #withMeta(params: Params): Params {
    const meta: Params = {
      ...(params._meta as Params | undefined),
      [META.protocolVersion]: MODERN_VERSION,
      [META.clientCapabilities]: this.#capabilities,
      [META.clientInfo]: this.#options.clientInfo ?? DEFAULT_CLIENT_INFO,
    };
    if (this.#options.logLevel !== undefined) meta[META.logLevel] = this.#options.logLevel;
    return { ...params, _meta: meta };
  }

  async #answerInputs(requests: unknown): Promise<Params> {
    const responses: Params = {};
    for (const [key, input] of Object.entries((requests ?? {}) as Record<string, Params>)) {
      responses[key] = await this.#answer(String(input.method), (input.params ?? {}) as Params);
    }
    return responses;
  }

  async #answer(method: string, params: Params): Promise<Params> {
    if (method === 'elicitation/create' && this.#options.elicit !== undefined) {
      return (await this.#options.elicit(params as ElicitParams)) as Params;
    }
    if (method === 'ping') return {};
    throw new RpcError(ErrorCode.MethodNotFound, `this client does not answer ${method}`);
  }

  #onNotification(message: JsonRpcNotification): void {
    const params = message.params ?? {};
    if (message.method === 'notifications/progress') {
      this.#progress.get(String(params.progressToken))?.(params as unknown as ProgressUpdate);
    } else if (message.method === 'notifications/message') {
      this.#options.onLog?.(params as unknown as LogMessage);
    } else this.#options.onNotification?.(message.method, params);
  }
}

/** Whether a failed `server/discover` leaves a 2025-era server possible (not an auth failure, not a dead server). */
function legacyMightAnswer(error: unknown): boolean {
  if (error instanceof RpcError) return true;
  return error instanceof ConnectionError && error.status !== undefined && error.status !== 401 && error.status !== 403;
}
