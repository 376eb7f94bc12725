import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

const INSPECTOR = '@modelcontextprotocol/inspector';

/** The Inspector's arguments for a Streamable HTTP endpoint. */
export function inspectorForUrl(url: string): string[] {
  return [INSPECTOR, '--transport', 'http', '--server-url', url];
}

/** The Inspector's arguments for a stdio server it starts itself with `command`. */
export function inspectorForCommand(command: readonly string[]): string[] {
  return [INSPECTOR, ...command];
}

/** The command a developer can paste into a shell. */
export function inspectorCommandLine(args: readonly string[]): string {
  return ['npx', ...args].map(shellQuote).join(' ');
}

/** Whether this Node.js can run the Inspector's web UI, which needs 22.7.5 or newer. */
export function nodeRunsInspector(version = process.versions.node): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && (minor > 7 || (minor === 7 && patch >= 5)));
}

/**
 * Starts the Inspector through `npx` (which fetches it on first use) in a process group of its own, so that
 * stopping it also stops the proxy it starts.
 */
export function openInspector(args: readonly string[]): ChildProcess {
  const windows = process.platform === 'win32';
  return spawn(windows ? 'npx.cmd' : 'npx', ['-y', ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: !windows,
    shell: windows,
  });
}

/** Stops an Inspector started by `openInspector`, and the processes it started. */
export function closeInspector(inspector: ChildProcess): void {
  if (inspector.exitCode !== null || inspector.pid === undefined) return;
  try {
    if (process.platform === 'win32') inspector.kill();
    else process.kill(-inspector.pid, 'SIGTERM');
  } catch {
    // It has already exited.
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
