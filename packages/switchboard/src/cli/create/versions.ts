import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ScaffoldError } from '../errors.js';

/**
 * Versions of the development tools a scaffold pins, the ones this repository builds and tests with (a test keeps
 * them equal to the workspace's). Runtime dependencies (zod, tsx) are pinned to what switchboard-mcp itself uses.
 */
export const TOOL_VERSIONS: Readonly<Record<string, string>> = {
  '@types/node': '20.19.43',
  typescript: '7.0.2',
};

/** switchboard-mcp's own manifest. */
function ownManifest(): { version: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
}

/**
 * What npm should install switchboard-mcp from: `^<this version>` by default; a path to a packed tarball becomes
 * a `file:` spec (absolute, so it still works from inside the new project); any other spec (a git URL) is kept.
 */
export function switchboardSpec(given: string | undefined, cwd = process.cwd()): string {
  if (given === undefined) return `^${ownManifest().version}`;
  if (/\.tgz$/.test(given) && !/^[a-z+]+:/.test(given))
    return `file:${isAbsolute(given) ? given : resolve(cwd, given)}`;
  return given;
}

/** The version range a scaffold's package.json gives `name`. */
export function versionFor(name: string, switchboard: string): string {
  if (name === 'switchboard-mcp') return switchboard;
  const version = TOOL_VERSIONS[name] ?? ownManifest().dependencies[name];
  if (version === undefined) throw new ScaffoldError(`no version known for the template dependency ${name}`);
  return version;
}
