import type { ClientSpec, InstallEnvironment, Scope, ServerSpec } from './clients.js';
import { mergeJsonServer } from './json-config.js';
import type { MergeResult } from './merge-result.js';
import { mergeTomlServer } from './toml-config.js';
import { readConfig, writeConfig } from './write-config.js';

/** What `install` did, or with `dryRun` would do, to one client's config file. */
export interface InstallOutcome extends MergeResult {
  path: string;
  before: string | undefined;
}

/**
 * Merges `server` under `name` into `client`'s config file for `scope`, and writes it unless `dryRun` is set or
 * nothing changes. Whatever cannot be merged safely throws a `ClientConfigError` before anything is written.
 */
export function installServer(options: {
  client: ClientSpec;
  scope: Scope;
  name: string;
  server: ServerSpec;
  environment: InstallEnvironment;
  force: boolean;
  dryRun: boolean;
}): InstallOutcome {
  const { client, scope, name, server, force } = options;
  const location = client.locations[scope];
  if (location === undefined) throw new Error(`${client.title} has no ${scope} config`);
  const path = location(options.environment);
  const before = readConfig(path);
  const entry = client.entry(server);
  const merge = client.format === 'toml' ? mergeTomlServer : mergeJsonServer;
  const result = merge(path, before, client.serversKey, name, entry, force);
  if (!options.dryRun && result.status !== 'unchanged') writeConfig(path, result.text);
  return { ...result, path, before };
}
