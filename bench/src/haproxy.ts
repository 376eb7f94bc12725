import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** One instance behind the balancer: its name in HAProxy's stats, and its `host:port`. */
export interface HaproxyBackend {
  name: string;
  address: string;
}

export interface HaproxyConfigOptions {
  /** The port HAProxy listens on, on 127.0.0.1. */
  port: number;
  backends: readonly HaproxyBackend[];
  /** An admin socket to read the backends' state from (`show stat`); none by default. */
  statsSocket?: string;
  /** Health-check cadence: every `interMs`, out after `fall` failures, back after `rise` passes (default 1 s, 2, 1). */
  checks?: { interMs: number; fall: number; rise: number };
}

/**
 * HAProxy settings for MCP over SSE, the one copy the bench and `test/scale` use: round-robin with no stickiness,
 * long server/tunnel timeouts, no buffering, health checks. The check is `/readyz`, not `/healthz`: a balancer needs
 * to know whether an instance can serve now (its stores answer, it is not shutting down), so it drains one that is
 * stopping before its connections close; `retries` with `redispatch` sends a request a dead instance refused to
 * another.
 */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  const { interMs, fall, rise } = options.checks ?? { interMs: 1000, fall: 2, rise: 1 };
  const stats = options.statsSocket === undefined ? '' : `\n  stats socket ${options.statsSocket} mode 600 level admin`;
  return `global
  maxconn 4000${stats}

defaults
  mode http
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  timeout http-request 10s
  # A check answers in milliseconds; a slow answer on a loaded machine is not a dead instance (a killed one
  # refuses the connection at once, whatever this says).
  timeout check 2s
  retries 2
  option redispatch

frontend mcp
  bind 127.0.0.1:${options.port}
  default_backend servers

backend servers
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz
  http-check expect status 200
  default-server inter ${interMs}ms fall ${fall} rise ${rise}
${options.backends.map((backend) => `  server ${backend.name} ${backend.address} check`).join('\n')}
`;
}

/**
 * HAProxy (`haproxyConfig`) in front of `backends`, MCP URLs that must all serve `healthRoutes()`; stopped by its
 * PID.
 */
export async function startHaproxy(backends: readonly string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-lb-'));
  const port = await freePort();
  const config = haproxyConfig({
    port,
    backends: backends.map((url, i) => ({ name: `s${i}`, address: new URL(url).host })),
  });
  await writeFile(join(dir, 'haproxy.cfg'), config);
  const child: ChildProcess = spawn('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db'], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (i > 200) throw new Error('HAProxy did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    url: `http://127.0.0.1:${port}${new URL(backends[0] as string).pathname}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
