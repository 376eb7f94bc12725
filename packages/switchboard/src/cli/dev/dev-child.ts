import { pino } from 'pino';
import { consoleToStderr } from '../entry/console-to-stderr.js';
import { checkTookStores, useSharedStoresFromEnv } from '../entry/process-stores.js';
import { describeStores, serveProcess } from '../entry/serve-process.js';
import { serverForEntry } from '../entry/server-for-entry.js';
import type { ChildConfig, ChildReport } from './child-protocol.js';
import { CHILD_CONFIG_VARIABLE } from './child-protocol.js';
import { describeFailure } from './describe-failure.js';

/**
 * One server process of `switchboard dev`: loads the entry, serves it, and reports over IPC. A reload is a new
 * process, since an ES module cannot be imported twice.
 */
const config = JSON.parse(process.env[CHILD_CONFIG_VARIABLE] ?? '{}') as ChildConfig;
delete process.env[CHILD_CONFIG_VARIABLE];

async function loadServer() {
  if (config.sharedStores) useSharedStoresFromEnv();
  const loaded = await serverForEntry(config.entry, config.kind);
  if (config.sharedStores) checkTookStores(loaded);
  return loaded;
}

function report(message: ChildReport): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });
}

async function fail(stage: 'load' | 'listen', error: unknown): Promise<never> {
  await report({ type: 'failed', stage, ...describeFailure(error) });
  process.exit(1);
}

// The supervisor went away without stopping us (killed): shut down as if told to, rather than linger.
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
if (config.transport === 'stdio') consoleToStderr();
const server = await loadServer().catch((error: unknown) => fail('load', error));
const options =
  config.transport === 'stdio'
    ? ({ transport: 'stdio' } as const)
    : { transport: 'http' as const, port: config.port, host: config.host, path: config.path, shutdownTimeoutMs: 1000 };
// The supervisor prints the URL itself; the server's own logger still logs everything else.
const serving = await serveProcess(server, options, pino({ level: 'silent' })).catch((error: unknown) =>
  fail('listen', error),
);
await report({
  type: 'ready',
  url: serving.url,
  name: server.info.name,
  version: server.info.version,
  stores: describeStores(server),
});
await serving.closed;
process.exit(0);
