import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEntry } from '../entry/load-entry.js';
import { projectRoot } from '../entry/project-root.js';
import { UsageError } from '../errors.js';
import type { ServerSpec } from './clients.js';

/** Server names every client accepts (Claude Code and Codex are the strictest). */
const SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** What `install` puts in a config file for a target, and the name it suggests for it. */
export interface InstallTarget {
  server: ServerSpec;
  suggestedName: string;
  /** Something the user should know about the command written (an ephemeral npx cache path). */
  warning?: string;
}

/**
 * Turns `install`'s `<entry | url>` into a server spec. A URL is a Streamable HTTP server. An entry file becomes
 * `<node> <switchboard bin> run <entry> --stdio`, every path absolute, since desktop clients start servers without
 * the shell's PATH or working folder. The bin is the entry project's own switchboard-mcp when it has one.
 */
export function installTarget(target: string, env: Record<string, string>, cwd = process.cwd()): InstallTarget {
  if (/^https?:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new UsageError(`"${target}" is not a valid URL`);
    }
    if (Object.keys(env).length > 0)
      throw new UsageError(
        '--env sets variables for a server the client starts; a URL is a server that is already running',
      );
    return { server: { kind: 'http', url: url.href }, suggestedName: hostName(url.hostname) };
  }
  const { path } = resolveEntry(target, cwd);
  const bin = projectBin(path) ?? ownBin();
  const warning = bin.split(sep).includes('_npx')
    ? `the switchboard command written lives in npx's cache, which npm may clear: run \`npm install switchboard-mcp\` in the project and install again`
    : undefined;
  return {
    server: { kind: 'stdio', command: realpathSync(process.execPath), args: [bin, 'run', path, '--stdio'], env },
    suggestedName: nameFor(path),
    ...(warning !== undefined && { warning }),
  };
}

/** Checks a server name given with --name. */
export function checkServerName(name: string): string {
  if (!SERVER_NAME.test(name))
    throw new UsageError(`server names are letters, digits, - and _ (at most 64); "${name}" is not`);
  return name;
}

/** The switchboard bin of the switchboard-mcp the entry's project depends on, if it is installed there. */
function projectBin(entry: string): string | undefined {
  try {
    const manifestPath = createRequire(entry).resolve('switchboard-mcp/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> };
    const bin = manifest.bin?.switchboard;
    if (bin === undefined) return undefined;
    const path = join(dirname(manifestPath), bin);
    return existsSync(path) ? realpathSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function ownBin(): string {
  return realpathSync(fileURLToPath(new URL('../bin.js', import.meta.url)));
}

/** The project's package name (without a scope), else the entry's folder name. */
function nameFor(entry: string): string {
  const root = projectRoot(entry);
  try {
    const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string };
    if (name) return sanitize(name.replace(/^@[^/]+\//, ''));
  } catch {
    // No package.json, or not JSON: fall back to the folder's name.
  }
  return sanitize(basename(dirname(entry)));
}

/** `mcp.linear.app` → `linear`: the label before the top-level domain; an IP address or single label as it is. */
function hostName(hostname: string): string {
  const labels = hostname.split('.');
  if (labels.length < 2 || /^[\d.]+$|:/.test(hostname)) return sanitize(hostname);
  return sanitize(labels[labels.length - 2] ?? hostname);
}

function sanitize(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'server'
  );
}
