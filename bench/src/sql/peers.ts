/** Starts MCP Toolbox and DBHub as they ship (npm packages pinned in bench/package.json), each on a free port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Pool } from 'undici';
import { type Connection, dbhubToml, toolboxYaml } from './peer-configs.js';

const require = createRequire(import.meta.url);

export interface Peer {
  name: string;
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls initialize until the endpoint answers (bounded), or the process exits. */
async function waitReady(url: string, child: ChildProcess, name: string, log: () => string): Promise<void> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 1 });
  const deadline = performance.now() + 60_000;
  try {
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${log().slice(-2000)}`);
      try {
        const response = await pool.request({
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"probe","version":"1"}}}',
        });
        const text = await response.body.text();
        if (response.statusCode === 200 && text.includes('protocolVersion')) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${name} did not answer initialize within 60 s: ${log().slice(-2000)}`);
  } finally {
    await pool.close();
  }
}

function launch(name: string, command: string, args: string[], url: string, cwd: string): Promise<Peer> {
  const child = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  };
  return waitReady(url, child, name, () => output).then(
    () => ({ name, url, stop }),
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
}

export async function startToolbox(db: Connection, dir: string, poolSize: number): Promise<Peer> {
  const config = join(dir, 'tools.yaml');
  writeFileSync(config, toolboxYaml(db, poolSize));
  const binary = join(dirname(require.resolve('@toolbox-sdk/server-linux-x64/package.json')), 'bin', 'toolbox');
  const port = await freePort();
  return launch(
    'MCP Toolbox',
    binary,
    [
      '--config',
      config,
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--disable-reload',
      '--disable-version-check',
      '--log-level',
      'WARN',
    ],
    `http://127.0.0.1:${port}/mcp`,
    dir,
  );
}

export async function startDbhub(db: Connection, dir: string, poolSize: number): Promise<Peer> {
  const config = join(dir, 'dbhub.toml');
  writeFileSync(config, dbhubToml(db, poolSize));
  const entry = join(dirname(require.resolve('@bytebase/dbhub/package.json')), 'dist', 'index.js');
  const port = await freePort();
  return launch(
    'DBHub',
    process.execPath,
    [entry, '--transport', 'http', '--port', String(port), `--config=${config}`],
    `http://127.0.0.1:${port}/mcp`,
    dir,
  );
}
