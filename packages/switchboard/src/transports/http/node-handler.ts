import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../../protocol/auth.js';
import type { McpHost } from '../../protocol/host.js';
import { HttpEndpoint } from './handler.js';
import { NodeExchange } from './node-exchange.js';
import type { HttpOptions } from './options.js';

/** A Node `(req, res)` handler with the endpoint it drives (for graceful shutdown). */
/** A Node request as frameworks leave it: `body` from a body parser, `auth` from an authentication middleware. */
export type NodeRequest = IncomingMessage & { body?: unknown; auth?: AuthInfo };

export interface NodeHandler {
  (req: NodeRequest, res: ServerResponse): Promise<void>;
  readonly endpoint: HttpEndpoint;
}

/**
 * The MCP endpoint as a Node request handler, for `node:http`, Express, Fastify (`reply.raw`) or Connect. Mount it
 * at your MCP path, ideally before body-parsing middleware: it reads the raw body itself. If `express.json()` or
 * the like consumed the stream first, `req.body` is re-serialized and held to the same size limit and checks. When
 * your framework authenticated the request and set `req.auth`, that is the caller; otherwise `authenticate` runs.
 */
export function createNodeHandler(server: McpHost, options?: HttpOptions): NodeHandler {
  const endpoint = new HttpEndpoint(server, options);
  const handler = (req: NodeRequest, res: ServerResponse) =>
    endpoint.handle(new NodeExchange(req, res, req.body, endpoint.streams), req.auth).catch((error: unknown) => {
      server.logger.error({ err: error }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  return Object.assign(handler, { endpoint });
}
