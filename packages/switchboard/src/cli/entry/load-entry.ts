import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EntryError } from '../errors.js';
import { installCliHost } from './cli-host.js';
import type { ServableServer } from './servable.js';
import { isServable } from './servable.js';
import { isTypeScript, registerTypeScript } from './typescript.js';

/** What a path given to `run` or `dev` names: a module exporting a server, or a SQL gateway `tools.yaml`. */
export type EntryKind = 'module' | 'tools-yaml';

/** Resolves an entry argument to an absolute path that exists, and says what kind of entry it is. */
export function resolveEntry(file: string, cwd = process.cwd()): { path: string; kind: EntryKind } {
  const path = resolve(cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new EntryError(`Entry file not found: ${file}`);
  return { path, kind: /\.ya?ml$/i.test(path) ? 'tools-yaml' : 'module' };
}

/**
 * Imports an entry module and returns its server. The entry hands it over in one of three ways, checked in order:
 * `export default server`; `export default` a function returning one (or a promise of one); or a call to
 * `server.run()` while the module loads, which under the CLI gives the server to the CLI instead of serving.
 */
export async function loadEntry(path: string, cwd = process.cwd()): Promise<ServableServer> {
  const shown = relative(cwd, path) || path;
  if (isTypeScript(path)) await registerTypeScript();
  const adopted: unknown[] = [];
  const uninstall = installCliHost({ adopt: (server) => adopted.push(server) });
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    exported = module.default;
    if (typeof exported === 'function') exported = await (exported as () => unknown)();
  } catch (error) {
    throw new EntryError(`${shown} failed to load`, error);
  } finally {
    uninstall();
  }
  const server = isServable(exported) ? exported : adopted.find(isServable);
  if (server !== undefined) return server;
  throw new EntryError(
    exported === undefined
      ? `${shown} does not hand over a server: end it with \`export default server\` (a Switchboard), or export a function that returns one`
      : `${shown}'s default export is not a Switchboard server (got ${describe(exported)})`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return typeof value;
}
