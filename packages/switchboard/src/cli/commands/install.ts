import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';
import type { ClientId, Scope } from '../install/clients.js';
import { CLIENT_IDS, CLIENTS, currentEnvironment } from '../install/clients.js';
import { installServer } from '../install/install-server.js';
import { lineDiff } from '../install/line-diff.js';
import { checkServerName, installTarget } from '../install/server-spec.js';
import { collectKeyValue } from '../option-parsers.js';

interface InstallOptions {
  list?: boolean;
  json?: boolean;
  scope?: Scope;
  name?: string;
  env?: Record<string, string>;
  force?: boolean;
  dryRun?: boolean;
}

/** `switchboard install <client> <entry | url>`: writes a server into an MCP client's config file. */
export function registerInstall(program: Command): void {
  program
    .command('install')
    .description("Add a server to an MCP client's config file, merged with what is there.")
    .addArgument(new Argument('[client]', `one of ${CLIENT_IDS.join(', ')}`).choices(CLIENT_IDS))
    .argument('[target]', 'an entry file (the client starts it over stdio) or a Streamable HTTP URL')
    .option('--list', "show where each client's config file lives on this machine")
    .addOption(new Option('--json', 'with --list: print JSON').implies({ list: true }))
    .addOption(
      new Option('--scope <scope>', "user (the client's own config) or project (a file in this folder)").choices([
        'user',
        'project',
      ]),
    )
    .option('--name <name>', 'the server name in the client (default: the package or host name)')
    .option('-e, --env <KEY=VALUE>', 'an environment variable for the server; repeatable', collectKeyValue)
    .option('--force', 'replace a different server of the same name')
    .option('--dry-run', 'print the change instead of writing it')
    .addHelpText(
      'after',
      examples(
        ['switchboard install claude-desktop src/server.ts', 'Claude Desktop starts the server over stdio'],
        ['switchboard install vscode https://mcp.example.com/mcp', 'a remote server, in .vscode/mcp.json'],
        ['switchboard install codex src/server.ts -e API_KEY=sk-123 --dry-run', 'show the config.toml change only'],
        ['switchboard install --list', "where each client's config file lives"],
      ),
    )
    .action((client: ClientId | undefined, target: string | undefined, options: InstallOptions) => {
      if (options.list) return listClients(options.json === true);
      if (client === undefined) throw new UsageError("missing argument 'client'");
      if (target === undefined) throw new UsageError("missing argument 'target' (an entry file or a URL)");
      install(client, target, options);
    });
}

function install(id: ClientId, target: string, options: InstallOptions): void {
  const client = CLIENTS[id];
  const scope = options.scope ?? client.defaultScope;
  if (client.locations[scope] === undefined) throw new UsageError(`${client.title} has no ${scope}-scope config file`);
  const { server, suggestedName, warning } = installTarget(target, options.env ?? {});
  const name = options.name === undefined ? suggestedName : checkServerName(options.name);
  const outcome = installServer({
    client,
    scope,
    name,
    server,
    environment: currentEnvironment(),
    force: options.force === true,
    dryRun: options.dryRun === true,
  });
  const { green, dim, yellow } = paletteFor(process.stdout);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (warning !== undefined) process.stderr.write(`${yellow('warning:')} ${warning}\n`);
  if (outcome.status === 'unchanged') {
    out(`${green('✔')} ${client.title} already has "${name}" as written: ${outcome.path}`);
    return;
  }
  if (options.dryRun) {
    out(
      `Would ${outcome.status === 'added' ? 'add' : 'replace'} "${name}" in ${client.title}'s ${scope} config (nothing written):`,
    );
    out(lineDiff(outcome.path, outcome.before ?? '', outcome.text));
    return;
  }
  const done = outcome.status === 'added' ? `Added "${name}" to` : `Replaced "${name}" in`;
  out(`${green('✔')} ${done} ${outcome.path}`);
  out(dim(`  ${server.kind === 'stdio' ? [server.command, ...server.args].join(' ') : server.url}`));
  out(dim(`  Restart ${client.title} (or reload its MCP servers) to pick it up.`));
}

function listClients(json: boolean): void {
  const environment = currentEnvironment();
  const rows = CLIENT_IDS.flatMap((id) => {
    const client = CLIENTS[id];
    return (Object.keys(client.locations) as Scope[]).map((scope) => {
      const path = client.locations[scope]?.(environment) ?? '';
      return {
        client: id,
        title: client.title,
        scope,
        default: scope === client.defaultScope,
        path,
        exists: existsSync(path),
      };
    });
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const { bold, dim } = paletteFor(process.stdout);
  const width = Math.max(...rows.map((row) => row.client.length));
  process.stdout.write(`${bold(`${'client'.padEnd(width)}  scope      config file`)}\n`);
  for (const row of rows) {
    const scope = `${row.scope}${row.default ? '*' : ''}`.padEnd(9);
    process.stdout.write(
      `${row.client.padEnd(width)}  ${scope}  ${row.path}${row.exists ? '' : dim('  (not created yet)')}\n`,
    );
  }
  process.stdout.write(dim('* the scope used without --scope\n'));
}
