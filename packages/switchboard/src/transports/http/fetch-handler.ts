import type { AuthInfo } from '../../protocol/auth.js';
import type { McpHost } from '../../protocol/host.js';
import { FetchExchange } from './fetch-exchange.js';
import { HttpEndpoint } from './handler.js';
import type { HttpOptions } from './options.js';

/** A fetch-style handler with the endpoint it drives. */
/** Per-request context from the host framework. */
export interface FetchContext {
  /** The caller, when the framework already authenticated the request; otherwise `authenticate` runs. */
  auth?: AuthInfo;
}

export interface FetchHandler {
  (request: Request, context?: FetchContext): Promise<Response>;
  readonly endpoint: HttpEndpoint;
}

/** The MCP endpoint as `(Request) => Promise<Response>`, for Hono, Bun, Deno and other fetch-based servers. */
export function createFetchHandler(server: McpHost, options?: HttpOptions): FetchHandler {
  const endpoint = new HttpEndpoint(server, options);
  const handler = (request: Request, context?: FetchContext) => {
    const exchange = new FetchExchange(request, endpoint.streams);
    endpoint.handle(exchange, context?.auth).then(
      () => exchange.abandon(),
      (error: unknown) => {
        server.logger.error({ err: error }, 'fetch handler failed');
        exchange.send(500, {});
      },
    );
    return exchange.response;
  };
  return Object.assign(handler, { endpoint });
}
