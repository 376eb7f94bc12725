import type { Command } from 'commander';
import { Option } from 'commander';
import type { ClientTarget, EraChoice, LogMessage, McpClient } from '../../client/index.js';
import { connect } from '../../client/index.js';
import type { LoggingLevel } from '../../protocol/messages.js';
import { LOGGING_LEVELS } from '../../protocol/messages.js';
import type { Palette } from '../colors.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { packageVersion } from '../help-text.js';
import { currentEnvironment } from '../install/clients.js';
import { authorizedFetch } from '../oauth/index.js';
import { collect } from '../option-parsers.js';
import { elicitAtTerminal } from './elicit-at-terminal.js';
import { resolveTarget } from './resolve-target.js';
import { TerminalPrompter } from './terminal-prompter.js';

/** The options every client command shares. */
export interface ClientCommandOptions {
  era: EraChoice;
  header?: string[];
  logLevel: LoggingLevel | 'none';
  json?: boolean;
}

/** Adds `--era`, `--header`, `--log-level` and `--json` to a client command. */
export function addClientOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--era <era>', 'protocol revision: auto tries 2026-07-28, then 2025-11-25')
        .choices(['auto', '2025-11-25', '2026-07-28'])
        .default('auto'),
    )
    .addOption(
      new Option('-H, --header <name: value>', 'an HTTP header for every request; repeatable').argParser(collect),
    )
    .addOption(
      new Option('--log-level <level>', "the server's log messages shown on stderr, from this level up")
        .choices([...LOGGING_LEVELS, 'none'])
        .default('info'),
    )
    .option('--json', 'print JSON for scripts instead of text');
}

/** A client connected for one command, with what the command's output needs. */
export interface ClientSession {
  client: McpClient;
  label: string;
  prompter: TerminalPrompter;
  palette: Palette;
  close(): Promise<void>;
}

/** Where a client command's server runs: the target operand, or the `-- command args` after the options. */
export interface TargetInput {
  operand: string | undefined;
  server: string[] | undefined;
}

/**
 * Connects to the target the way the command line says: logs to stderr, elicitation asked at the terminal.
 * `fetch` is what every HTTP request goes through (an OAuth layer passes one that adds a bearer token).
 */
export async function openClient(
  input: TargetInput,
  options: ClientCommandOptions,
  fetch?: typeof globalThis.fetch,
): Promise<ClientSession> {
  const { target, label } = resolveTarget(
    input.operand,
    input.server,
    currentEnvironment(),
    parseHeaders(options.header),
  );
  const withFetch: ClientTarget = 'url' in target ? { ...target, fetch: fetch ?? signedInFetch(target) } : target;
  const prompter = new TerminalPrompter();
  const palette = paletteFor(process.stderr);
  const client = await connect(withFetch, {
    era: options.era,
    clientInfo: { name: 'switchboard-cli', version: packageVersion() },
    logLevel: options.logLevel === 'none' ? undefined : options.logLevel,
    onLog: (message) => process.stderr.write(`${formatLog(message, palette)}\n`),
    elicit: (params) => elicitAtTerminal(params, prompter, palette),
  });
  return {
    client,
    label,
    prompter,
    palette,
    close: async () => {
      prompter.close();
      await client.close();
    },
  };
}

/**
 * The cached token of `switchboard login` for this URL (refreshed when it expires), unless `--header` gives an
 * Authorization of its own. When the server asks for a sign-in it happens here at a terminal; elsewhere the error
 * says to run `switchboard login <url>`.
 */
function signedInFetch(target: { url: string; headers?: Record<string, string> }): typeof globalThis.fetch | undefined {
  if (target.headers?.authorization !== undefined) return undefined;
  return authorizedFetch(target.url, {
    interactive: process.stderr.isTTY === true,
    print: (line) => process.stderr.write(`${line}\n`),
  }) as typeof globalThis.fetch;
}

/** `Name: value` headers from `--header`. */
function parseHeaders(values: readonly string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header "${value}" is not "Name: value"`);
    headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

function formatLog({ level, logger, data }: LogMessage, palette: Palette): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const tag = `[${level}]`;
  const styled = ['error', 'critical', 'alert', 'emergency'].includes(level)
    ? palette.red(tag)
    : level === 'warning'
      ? palette.yellow(tag)
      : palette.dim(tag);
  return `${styled}${logger === undefined ? '' : ` ${logger}:`} ${text}`;
}

/**
 * The operands of a client command: without `-- command args`, the first is the target; with it, there is none.
 * Returns the target and the operands after it.
 */
export function splitOperands(operands: readonly string[], server: string[] | undefined): [TargetInput, string[]] {
  if (server !== undefined) return [{ operand: undefined, server }, [...operands]];
  const [operand, ...rest] = operands;
  return [{ operand, server: undefined }, rest];
}
