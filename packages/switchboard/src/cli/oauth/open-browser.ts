import { spawn } from 'node:child_process';

/**
 * Opens `url` in the user's browser, without waiting for it. `SWITCHBOARD_OPEN_BROWSER` chooses how: unset, the
 * platform's opener (`open`, `xdg-open`, `start`); `none` (or empty), nothing (the URL is printed either way); any
 * other value is a command that gets the URL as its last argument (split on spaces, no shell).
 * Returns false when no browser was started.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const choice = env.SWITCHBOARD_OPEN_BROWSER;
  if (choice === 'none' || choice === '') return false;
  const [command, ...args] = choice !== undefined ? choice.split(' ').filter(Boolean) : platformOpener();
  if (command === undefined) return false;
  try {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    // A missing opener (no xdg-open on a server) is not an error: the printed URL is the fallback.
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

function platformOpener(): string[] {
  if (process.platform === 'darwin') return ['open'];
  // `start` is a cmd built-in; its first quoted argument is the window title, hence the empty one.
  if (process.platform === 'win32') return ['cmd', '/c', 'start', '""'];
  return ['xdg-open'];
}
