import { RegistrationError } from '../protocol/errors.js';
import type { McpHost } from '../protocol/host.js';
import type { Authenticate } from '../transports/http/authenticate.js';
import type { HttpRoute } from '../transports/http/routes.js';
import { metadataNodeHandler } from './metadata-handlers.js';
import type { AuthOptions } from './resource-server.js';
import { ResourceServer } from './resource-server.js';
import { enforceScopes, isScopedServer } from './scope-guard.js';

/** The resource server an `auth` option stands for: the one given, or one made from the options. */
export function resourceServerOf(auth: AuthOptions | ResourceServer, endpointPath?: string): ResourceServer {
  return auth instanceof ResourceServer ? auth : new ResourceServer(auth, endpointPath);
}

/**
 * The hook the HTTP edge runs: `auth`'s, or a hand-written `authenticate`; not both, which would be ambiguous. With
 * `auth`, the server's registration scopes are enforced too.
 */
export function authenticateOf(
  host: McpHost,
  options: {
    auth?: AuthOptions | ResourceServer;
    authenticate?: Authenticate;
  },
): Authenticate | undefined {
  if (options.auth === undefined) return options.authenticate;
  if (options.authenticate !== undefined) {
    throw new RegistrationError('give either auth or authenticate, not both: auth builds its own authenticate hook');
  }
  if (isScopedServer(host)) enforceScopes(host);
  return resourceServerOf(options.auth).authenticate;
}

/** The resource server for `serve()` and the routes that answer its metadata on the same port. */
export function authRoutes(
  auth: AuthOptions | ResourceServer | undefined,
  endpointPath: string,
): { resourceServer: ResourceServer; routes: HttpRoute[] } | undefined {
  if (auth === undefined) return undefined;
  const resourceServer = resourceServerOf(auth, endpointPath);
  const handler = metadataNodeHandler(resourceServer);
  return { resourceServer, routes: resourceServer.metadataPaths.map((path) => ({ path, handler })) };
}
