import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthRequest } from '../transports/http/authenticate.js';
import { metadataResponse } from './metadata.js';
import type { ResourceServer } from './resource-server.js';

/**
 * The Protected Resource Metadata as a Node `(req, res)` handler, for Express, Fastify (`reply.raw`) or node:http.
 * Mount it at every path of `resourceServer.metadataPaths`; paths it does not know get 404.
 */
export function metadataNodeHandler(
  resourceServer: ResourceServer,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const request: AuthRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      header: (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      },
    };
    const answer = metadataResponse(request.method, resourceServer.metadataFor(request));
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
}

/** The Protected Resource Metadata as a fetch handler, for Hono, Bun, Deno and other fetch-based servers. */
export function metadataFetchHandler(resourceServer: ResourceServer): (request: Request) => Response {
  return (request) => {
    const url = new URL(request.url);
    const head: AuthRequest = {
      method: request.method,
      url: `${url.pathname}${url.search}`,
      header: (name) => request.headers.get(name) ?? undefined,
    };
    const answer = metadataResponse(head.method, resourceServer.metadataFor(head));
    return new Response(answer.status === 204 || answer.body === '' ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
  };
}
