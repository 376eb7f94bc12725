import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScaffoldError } from '../errors.js';

/** Where the templates ship: `templates/` at the package root (three folders up from both src/ and dist/). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** A project template: a folder of files, and the packages its package.json depends on. */
export interface Template {
  readonly name: string;
  readonly dir: string;
  readonly description: string;
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
}

/**
 * The templates this package ships, each a folder under `templates/` with a `template.json`. A new template (the
 * SQL gateway's `sql`) is a new folder: `create --template` lists and accepts whatever is there.
 */
export function listTemplates(dir = TEMPLATES_DIR): Template[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'template.json')))
    .map((entry) => readTemplate(join(dir, entry.name), entry.name));
}

function readTemplate(dir: string, name: string): Template {
  const manifest = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as Partial<Template>;
  if (typeof manifest.description !== 'string') throw new ScaffoldError(`template ${name} has no description`);
  return {
    name,
    dir,
    description: manifest.description,
    dependencies: manifest.dependencies ?? [],
    devDependencies: manifest.devDependencies ?? [],
  };
}
