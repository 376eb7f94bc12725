import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** How the tests start `npm start`'s entry: from source, as the workspace does. */
const ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url));
export const NODE_ARGS = ['--conditions=switchboard-source', '--import', 'tsx', ENTRY];

/** A port nothing listens on now: the server's issuer URL names its port, so it must be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts `npm start`'s entry on a free port and resolves with its URL once it says where it listens. */
export async function startHttp(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, NODE_ARGS, {
    env: { ...process.env, ...env, PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Leads MCP server on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
