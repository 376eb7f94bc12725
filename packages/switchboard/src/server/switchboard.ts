import type { Logger } from 'pino';
import type { Dispatcher } from '../protocol/engine.js';
import { Engine } from '../protocol/engine.js';
import type { EventSource } from '../protocol/events.js';
import type { ClientNotification, McpHost, NotificationCaller } from '../protocol/host.js';
import type { Implementation } from '../protocol/messages.js';
import type { SharedStores } from '../stores/shared-stores.js';
import type { HttpServerHandle, ServeOptions } from '../transports/http/serve.js';
import type { StdioHandle, StdioOptions } from '../transports/stdio/index.js';
import type { SwitchboardOptions } from './core.js';
import { ServerCore } from './core.js';
import type { HeaderParam } from './header-params.js';
import { buildMethodTable } from './methods/index.js';
import { buildChain } from './middleware/chain.js';
import type { Use } from './middleware/types.js';
import { checkPromptName, checkResourceUri, checkToolName } from './names.js';
import type { PromptArgs, PromptHandler, PromptOptions } from './prompt.js';
import { CompiledPrompt } from './prompt.js';
import type { Registration } from './registry.js';
import { RequestContext } from './request-context.js';
import type { ResourceHandler, ResourceOptions, ResourceTemplateOptions, TemplateHandler } from './resource.js';
import { CompiledResource, CompiledTemplate } from './resource.js';
import type { ObjectInput } from './schema.js';
import type { ToolHandler, ToolOptions } from './tool.js';
import { CompiledTool } from './tool.js';

/**
 * An MCP server: register tools, resources and prompts, then serve them over Streamable HTTP (`listen`) or stdio
 * (`stdio`). One instance serves every client of both protocol eras.
 */
export class Switchboard implements McpHost {
  readonly #core: ServerCore;
  #engine: Engine<RequestContext> | undefined;

  constructor(options: SwitchboardOptions) {
    this.#core = new ServerCore(options);
  }

  get info(): Implementation {
    return this.#core.info;
  }

  /** Registers a tool. Arguments are validated against `input` before `handler` runs. */
  tool<I extends ObjectInput | undefined = undefined, O extends ObjectInput | undefined = undefined>(
    name: string,
    options: ToolOptions<I, O>,
    handler: ToolHandler<I, O>,
  ): Registration {
    checkToolName(name, this.#core.logger);
    return this.#core.tools.add(name, new CompiledTool(name, options, handler as never));
  }

  /** Registers a resource at a fixed URI. */
  resource(uri: string, options: ResourceOptions, handler: ResourceHandler): Registration {
    checkResourceUri(uri);
    return this.#core.resources.add(uri, new CompiledResource(uri, options, handler));
  }

  /** Registers a family of resources under an RFC 6570 template such as `leads://lead/{id}`. */
  resourceTemplate(uriTemplate: string, options: ResourceTemplateOptions, handler: TemplateHandler): Registration {
    checkResourceUri(uriTemplate);
    return this.#core.templates.add(uriTemplate, new CompiledTemplate(uriTemplate, options, handler));
  }

  /** Registers a prompt template. */
  prompt<A extends PromptArgs | undefined = undefined>(
    name: string,
    options: PromptOptions<A>,
    handler: PromptHandler<A>,
  ): Registration {
    checkPromptName(name);
    return this.#core.prompts.add(name, new CompiledPrompt(name, options, handler as never));
  }

  /**
   * Adds a middleware around every request of both eras on every transport (and `TestClient`), in registration
   * order; or a hook made by `onList` (per-caller list visibility) or `onNotification`.
   */
  use(entry: Use): this {
    this.#core.use(entry);
    if (typeof entry === 'function') this.#core.interceptor.current ??= buildChain(this.#core, this.#core.middlewares);
    return this;
  }

  /** Tells subscribed clients that a resource changed. */
  notifyResourceUpdated(uri: string): Promise<void> {
    return this.#core.publish({ type: 'resources/updated', uri });
  }

  /** Tells clients the resource list changed, e.g. when what a template's `list()` returns is different now. */
  notifyResourceListChanged(): Promise<void> {
    return this.#core.publish({ type: 'resources/list_changed' });
  }

  /** The protocol engine transports drive; built on first use, after registrations. */
  get engine(): Engine<RequestContext> {
    const core = this.#core;
    this.#engine ??= new Engine({
      methods: buildMethodTable(core),
      serverInfo: core.info,
      codec: core.codec,
      logger: core.logger,
      createContext: (facts, link) => new RequestContext(facts, link, core.logger),
      interceptor: core.interceptor,
    });
    return this.#engine;
  }

  /** Serves Streamable HTTP on `node:http` (default http://127.0.0.1:3000/mcp). */
  async listen(options?: ServeOptions): Promise<HttpServerHandle> {
    const { serve } = await import('../transports/http/serve.js');
    return serve(this, options);
  }

  /** Serves stdio on this process's stdin/stdout. */
  async stdio(options?: StdioOptions): Promise<StdioHandle> {
    const { serveStdio } = await import('../transports/stdio/index.js');
    return serveStdio(this, options);
  }

  /**
   * Serves this process as its command line asks: `--stdio` (or `MCP_TRANSPORT=stdio`) serves stdio until stdin
   * closes; otherwise Streamable HTTP on `PORT` (default 3000) and `HOST` until SIGINT/SIGTERM. Under
   * `switchboard run` or `dev`, the CLI serves the server instead, as its flags say.
   */
  async run(options: ServeOptions = {}): Promise<void> {
    const { runFromCommandLine } = await import('../cli/entry/run-from-command-line.js');
    await runFromCommandLine(this, this.#core.logger, options);
  }

  /** Ends long-lived requests (subscriptions) gracefully; transports close their own connections. */
  close(): void {
    this.#core.beginClose();
  }

  /** @internal The registries and shared state, for this package's own tests and tools. */
  get core(): ServerCore {
    return this.#core;
  }

  // McpHost: what transports see of the server.

  /** The engine every transport hands its requests to. */
  get dispatcher(): Dispatcher {
    return this.engine;
  }

  /** The shared stores given as the `stores` option, which `serve()` opens and the HTTP endpoint uses. */
  get stores(): SharedStores | undefined {
    return this.#core.stores;
  }

  /** Where change notifications come from (the configured bus). */
  get events(): EventSource {
    return this.#core.bus;
  }

  /** The server's structured logger. */
  get logger(): Logger {
    return this.#core.logger;
  }

  /** Settles when the server begins shutting down. */
  get closing(): Promise<void> {
    return this.#core.closing;
  }

  get closed(): boolean {
    return this.#core.closed;
  }

  beginClose(): void {
    this.#core.beginClose();
  }

  /** The `x-mcp-header` parameters of a tool, for header validation on HTTP. */
  headerParamsOf(toolName: string): readonly HeaderParam[] | undefined {
    return this.#core.tools.get(toolName)?.headerParams;
  }

  notified(notification: ClientNotification, caller: NotificationCaller): Promise<void> {
    return this.#core.notified(notification, caller);
  }
}

export type { SwitchboardOptions };
