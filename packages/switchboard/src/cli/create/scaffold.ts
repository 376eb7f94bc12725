import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { ScaffoldError } from '../errors.js';
import type { Template } from './templates.js';
import { versionFor } from './versions.js';

/** What `create` was asked for. */
export interface ScaffoldOptions {
  template: Template;
  /** The npm package name; also the MCP server's name. */
  name: string;
  /** How package.json depends on switchboard-mcp (a range, a `file:` tarball, a git URL). */
  switchboard: string;
}

/** npm's rule for package names: lower case, URL-safe, optionally scoped. */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
/** Template files npm would drop or rename when the package is packed, stored under another name. */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

/** The default project name for a folder: its name, lower-cased, with characters npm refuses replaced. */
export function defaultName(dir: string): string {
  return basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+/, '');
}

/**
 * Writes a new project into `dir` (created if missing; it must be empty but for a `.git`): the template's files
 * with `{{name}}` filled in, and a package.json with the scripts `dev`, `start` and `test`. Returns the paths
 * written, relative to `dir`.
 */
export function scaffold(dir: string, options: ScaffoldOptions): string[] {
  if (!PACKAGE_NAME.test(options.name)) {
    throw new ScaffoldError(`"${options.name}" is not a valid npm package name; pass --name with one`);
  }
  if (existsSync(dir)) {
    const present = readdirSync(dir).filter((name) => name !== '.git');
    if (present.length > 0)
      throw new ScaffoldError(`${dir} is not empty (${present.slice(0, 3).join(', ')}…); pick a new folder`);
  }
  const written: string[] = [];
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    written.push(path);
  };
  for (const file of filesOf(options.template.dir)) {
    const target = join(dirname(file), RENAMED[basename(file)] ?? basename(file));
    write(target, readFileSync(join(options.template.dir, file), 'utf8').replaceAll('{{name}}', options.name));
  }
  write('package.json', `${JSON.stringify(manifestFor(options), null, 2)}\n`);
  return written.sort();
}

function manifestFor({ template, name, switchboard }: ScaffoldOptions): Record<string, unknown> {
  const pinned = (names: readonly string[]) =>
    Object.fromEntries([...names].sort().map((dependency) => [dependency, versionFor(dependency, switchboard)]));
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      dev: 'switchboard dev src/server.ts',
      start: 'switchboard run src/server.ts',
      test: 'tsc && node --import tsx --test src/*.test.ts',
    },
    dependencies: pinned(template.dependencies),
    devDependencies: pinned(template.devDependencies),
    engines: { node: '>=20.19' },
  };
}

/** Every file under `root` except the template's manifest, as paths relative to `root`. */
function filesOf(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesOf(root, path);
    const file = relative(root, path);
    return file === 'template.json' ? [] : [file];
  });
}
