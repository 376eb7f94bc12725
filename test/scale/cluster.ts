import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haproxyConfig } from '../../bench/src/haproxy.js';
import { freePort, waitFor } from '../support/free-port.js';

const SERVER = fileURLToPath(new URL('./reference-server.ts', import.meta.url));

export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
}

export interface ClusterOptions {
  redisUrl: string;
  databaseUrl?: string;
  /** Key prefix and bus channel of this cluster in Redis, so parallel runs never meet. */
  prefix: string;
  instances?: number;
  taskLeaseMs?: number;
  /** Each instance's liveness lease, and how often followed streams are checked (`redis()` options). */
  instanceLeaseMs?: number;
  followCheckMs?: number;
}

/** Several instances of the reference server and HAProxy in front, round-robin, no stickiness; stopped by PID. */
export interface Cluster {
  /** The load balancer's MCP URL. */
  readonly url: string;
  readonly instances: Instance[];
  /** `kill -9` of one instance's process. */
  kill(instance: Instance): Promise<void>;
  /** Whether HAProxy's health check has taken the instance out. */
  isDown(instance: Instance): Promise<boolean>;
  stop(): Promise<void>;
}

function startInstance(name: string, port: number, options: ClusterOptions): Promise<Instance> {
  const child = spawn(process.execPath, ['--conditions=switchboard-source', '--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      PORT: String(port),
      INSTANCE: name,
      REDIS_URL: options.redisUrl,
      DATABASE_URL: options.databaseUrl ?? '',
      STORE_PREFIX: options.prefix,
      TASK_LEASE_MS: String(options.taskLeaseMs ?? 30_000),
      INSTANCE_LEASE_MS: String(options.instanceLeaseMs ?? 15_000),
      FOLLOW_CHECK_MS: String(options.followCheckMs ?? 5_000),
      SWITCHBOARD_LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve({ name, port, url: `http://127.0.0.1:${port}/mcp`, child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

/** One command on HAProxy's admin socket. */
function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = connect(socket);
    let output = '';
    client.on('data', (chunk) => {
      output += chunk.toString();
    });
    client.once('error', reject);
    client.once('end', () => resolve(output));
    client.write(`${command}\n`);
  });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const count = options.instances ?? 3;
  const names = Array.from({ length: count }, (_, i) => `instance-${String.fromCharCode(97 + i)}`);
  const ports = await Promise.all(names.map(() => freePort()));
  const instances = await Promise.all(names.map((name, i) => startInstance(name, ports[i] as number, options)));
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-scale-'));
  const lbPort = await freePort();
  const socket = join(dir, 'haproxy.sock');
  const config = join(dir, 'haproxy.cfg');
  await writeFile(
    config,
    haproxyConfig({
      port: lbPort,
      backends: instances.map((instance) => ({ name: instance.name, address: `127.0.0.1:${instance.port}` })),
      statsSocket: socket,
      // Fast: the test kills an instance and waits for HAProxy to take it out.
      checks: { interMs: 200, fall: 1, rise: 2 },
    }),
  );
  const haproxy = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let haproxyErrors = '';
  haproxy.stderr?.on('data', (chunk: Buffer) => {
    haproxyErrors += chunk.toString();
  });
  const status = async (instance: Instance) => {
    const csv = await haproxyCommand(socket, 'show stat');
    const row = csv.split('\n').find((line) => line.startsWith(`servers,${instance.name},`));
    return row?.split(',')[17] ?? '';
  };
  const cluster: Cluster = {
    url: `http://127.0.0.1:${lbPort}/mcp`,
    instances,
    kill: async (instance) => stopChild(instance.child, 'SIGKILL'),
    isDown: async (instance) => (await status(instance)).startsWith('DOWN'),
    stop: async () => {
      await Promise.all([...instances.map((instance) => stopChild(instance.child)), stopChild(haproxy)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      `HAProxy to see every instance up (${haproxyErrors})`,
      async () => (await Promise.all(instances.map(status))).every((s) => s === 'UP'),
      20_000,
    );
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
