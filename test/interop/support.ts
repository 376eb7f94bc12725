import { fileURLToPath } from 'node:url';

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
