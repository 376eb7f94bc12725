import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistrationError } from '../../protocol/errors.js';

/**
 * An extra HTTP handler `serve()` answers beside the MCP endpoint on the same port: the OAuth metadata, a built-in
 * authorization server, a health check. It sees the request as received (full path and query); the MCP endpoint's
 * Origin/Host checks and authentication do not apply to it.
 */
export interface HttpRoute {
  /** The path served, e.g. `/.well-known/oauth-protected-resource/mcp`. */
  readonly path: string;
  /** Also serve every path below `path` (`/oauth` serves `/oauth` and `/oauth/…`, not `/oauthx`). */
  readonly prefix?: boolean;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/** Finds the route for a path: an exact one first, else the longest prefix. */
export class RouteTable {
  readonly #exact = new Map<string, HttpRoute>();
  readonly #prefixes: HttpRoute[];

  constructor(routes: readonly HttpRoute[], mcpPath: string) {
    const prefixes: HttpRoute[] = [];
    for (const route of routes) {
      if (!route.path.startsWith('/')) throw new RegistrationError(`route path "${route.path}" must start with /`);
      if (route.path === mcpPath) throw new RegistrationError(`route ${route.path} is the MCP endpoint's path`);
      if (route.prefix === true) {
        if (mcpPath.startsWith(`${route.path.replace(/\/$/, '')}/`)) {
          throw new RegistrationError(`prefix route ${route.path} would cover the MCP endpoint ${mcpPath}`);
        }
        prefixes.push(route);
      } else if (this.#exact.has(route.path)) {
        throw new RegistrationError(`two routes for ${route.path}`);
      } else {
        this.#exact.set(route.path, route);
      }
    }
    this.#prefixes = prefixes.sort((a, b) => b.path.length - a.path.length);
  }

  find(pathname: string): HttpRoute | undefined {
    const exact = this.#exact.get(pathname);
    if (exact !== undefined) return exact;
    for (const route of this.#prefixes) {
      const base = route.path.replace(/\/$/, '');
      if (pathname === base || pathname.startsWith(`${base}/`)) return route;
    }
    return undefined;
  }
}
