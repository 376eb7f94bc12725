import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** How a client spawns the fixture server over stdio (TypeScript source through tsx). */
export const stdioServer = {
  command: process.execPath,
  args: [
    '--conditions=switchboard-source',
    '--import',
    'tsx',
    fileURLToPath(new URL('./fixture-server.ts', import.meta.url)),
  ],
};

export function textOf(result: object): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[];
  return first?.text ?? '';
}

/** Whether the process with this id is gone. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Closes a stdio client and checks the server process it spawned has exited (a Switchboard stdio server ends when
 * its stdin closes). Should it still be running, it is killed by its id so no test leaves it behind.
 */
export async function closeStdio(close: () => Promise<void>, pid: number | null | undefined): Promise<void> {
  try {
    await close();
  } finally {
    if (typeof pid === 'number' && !isGone(pid)) {
      try {
        await expect.poll(() => isGone(pid), { timeout: 5_000 }).toBe(true);
      } finally {
        if (!isGone(pid)) process.kill(pid, 'SIGKILL');
      }
    }
  }
}
