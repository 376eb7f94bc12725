import type { HttpTarget, StdioTarget } from '../../client/index.js';
import { UsageError } from '../errors.js';
import type { InstallEnvironment } from '../install/clients.js';
import { CLIENT_IDS } from '../install/clients.js';
import { configuredServers } from './config-servers.js';

/** What a client command was pointed at, and how to show it. */
export interface ResolvedTarget {
  target: HttpTarget | StdioTarget;
  label: string;
}

/**
 * The server a client command talks to: `-- command args` (stdio), an http(s) URL, or a server name from a client's
 * config file (`weather`, or `cursor:weather` for one client's), with extra HTTP headers for a URL.
 */
export function resolveTarget(
  operand: string | undefined,
  server: string[] | undefined,
  environment: InstallEnvironment,
  headers: Record<string, string> = {},
): ResolvedTarget {
  if (server !== undefined) {
    const [command, ...args] = server;
    if (command === undefined) throw new UsageError('nothing after --: give the command that starts the server');
    return { target: { command, args }, label: server.join(' ') };
  }
  if (operand === undefined)
    throw new UsageError('missing the target: a URL, a configured server name, or -- command args');
  if (/^https?:\/\//i.test(operand)) {
    try {
      new URL(operand);
    } catch {
      throw new UsageError(`"${operand}" is not a valid URL`);
    }
    return { target: { url: operand, headers }, label: operand };
  }
  return byName(operand, environment, headers);
}

function byName(operand: string, environment: InstallEnvironment, headers: Record<string, string>): ResolvedTarget {
  const colon = operand.indexOf(':');
  const client = colon > 0 ? operand.slice(0, colon) : undefined;
  const name =
    client !== undefined && (CLIENT_IDS as readonly string[]).includes(client) ? operand.slice(colon + 1) : operand;
  const servers = configuredServers(environment);
  const match = servers.find(
    (server) => server.name === name && (client === undefined || name === operand || server.client === client),
  );
  if (match === undefined) {
    const known = [...new Set(servers.map((server) => `${server.client}:${server.name}`))];
    throw new UsageError(
      `"${operand}" is not a URL, and no client config file has a server of that name` +
        (known.length > 0 ? ` (configured: ${known.join(', ')})` : ' (no client config file lists any server)') +
        '; to start a server yourself, put its command after --',
    );
  }
  const target =
    'url' in match.target ? { ...match.target, headers: { ...match.target.headers, ...headers } } : match.target;
  return { target, label: `${match.name} (${match.file})` };
}
