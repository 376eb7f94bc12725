import { existsSync, readFileSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import type { HttpTarget, StdioTarget } from '../../client/index.js';
import { ClientConfigError } from '../errors.js';
import type { ClientId, InstallEnvironment } from '../install/clients.js';
import { CLIENT_IDS, CLIENTS } from '../install/clients.js';

/** A server entry found in a client's config file. */
export interface ConfiguredServer {
  name: string;
  client: ClientId;
  file: string;
  target: HttpTarget | StdioTarget;
}

type Entry = Record<string, unknown>;

/**
 * Every server in the config files `install` writes (project files first, then the user's), as client targets.
 * Claude Code's ~/.claude.json also keeps servers per project folder; those of the current folder are included.
 */
export function configuredServers(environment: InstallEnvironment): ConfiguredServer[] {
  const found: ConfiguredServer[] = [];
  for (const scope of ['project', 'user'] as const) {
    for (const id of CLIENT_IDS) {
      const client = CLIENTS[id];
      const file = client.locations[scope]?.(environment);
      if (file === undefined || !existsSync(file)) continue;
      const document = readConfig(file, client.format);
      const sections = [document[client.serversKey]];
      if (id === 'claude-code' && scope === 'user') {
        sections.push(((document.projects as Entry | undefined)?.[environment.cwd] as Entry | undefined)?.mcpServers);
      }
      for (const section of sections) {
        if (typeof section !== 'object' || section === null) continue;
        for (const [name, entry] of Object.entries(section as Entry)) {
          const target = targetOf(entry as Entry, environment.cwd);
          if (target !== undefined) found.push({ name, client: id, file, target });
        }
      }
    }
  }
  return found;
}

function readConfig(file: string, format: 'json' | 'toml'): Entry {
  const text = readFileSync(file, 'utf8');
  try {
    const value = format === 'toml' ? parseToml(text) : (parseJsonc(text, [], { allowTrailingComma: true }) as unknown);
    return typeof value === 'object' && value !== null ? (value as Entry) : {};
  } catch (error) {
    throw new ClientConfigError(`${file} cannot be read: ${(error as Error).message}`);
  }
}

/** A config entry as a target: `url`/`httpUrl`/`serverUrl` (Streamable HTTP) or `command` + `args` (stdio). */
function targetOf(entry: Entry, cwd: string): HttpTarget | StdioTarget | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const url = entry.url ?? entry.httpUrl ?? entry.serverUrl;
  const strings = (value: unknown) =>
    typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]))
      : undefined;
  // VS Code's ${workspaceFolder} is the folder the command runs in.
  const expand = (text: string) => text.replaceAll('$' + '{workspaceFolder}', cwd);
  if (typeof url === 'string') return { url: expand(url), headers: strings(entry.headers) };
  if (typeof entry.command !== 'string') return undefined;
  const args = Array.isArray(entry.args) ? entry.args.map((arg) => expand(String(arg))) : [];
  return {
    command: expand(entry.command),
    args,
    env: strings(entry.env),
    cwd: typeof entry.cwd === 'string' ? expand(entry.cwd) : undefined,
  };
}
