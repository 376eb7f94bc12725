import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Switchboard } from '../../server/switchboard.js';
import { HttpEndpoint } from './handler.js';
import { NodeExchange } from './node-exchange.js';
import type { HttpOptions } from './options.js';

/** A Node `(req, res)` handler with the endpoint it drives (for graceful shutdown). */
export interface NodeHandler {
  (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>;
  readonly endpoint: HttpEndpoint;
}

/**
 * The MCP endpoint as a Node request handler, for `node:http`, Express, Fastify (`reply.raw`) or Connect. Mount it
 * at your MCP path, ideally before body-parsing middleware: it reads the raw body itself. If `express.json()` or
 * the like consumed the stream first, `req.body` is re-serialized and held to the same size limit and checks.
 */
export function createNodeHandler(server: Switchboard, options?: HttpOptions): NodeHandler {
  const endpoint = new HttpEndpoint(server, options);
  const handler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) =>
    endpoint.handle(new NodeExchange(req, res, req.body)).catch((error: unknown) => {
      server.core.logger.error({ err: error }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  return Object.assign(handler, { endpoint });
}
