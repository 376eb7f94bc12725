import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from './errors.js';
import type { LoginOptions } from './oauth/index.js';
import { parseMilliseconds } from './option-parsers.js';

/** The sign-in options `login` and `proxy` share, as commander parses them. */
export interface SignInFlags {
  scope?: string;
  clientId?: string;
  clientMetadataUrl?: string;
  browser?: boolean;
  loginTimeout?: number;
}

/** Adds the sign-in options to a command. */
export function addSignInOptions(command: Command): Command {
  return command
    .option('--scope <scopes>', "scopes to ask for, space-separated (default: the ones the server's 401 names)")
    .option('--client-id <id>', 'a client registered beforehand with the authorization server')
    .option(
      '--client-metadata-url <url>',
      'an https Client ID Metadata Document to use as client_id when the server supports them (default: $SWITCHBOARD_CLIENT_METADATA_URL, else dynamic registration)',
    )
    .option('--no-browser', 'print the sign-in URL without opening a browser')
    .addOption(
      new Option('--login-timeout <ms>', 'how long to wait for the browser sign-in')
        .default(300_000)
        .argParser(parseMilliseconds),
    );
}

/** The login options of the parsed flags. */
export function signInOptions(flags: SignInFlags): LoginOptions {
  const metadataUrl = flags.clientMetadataUrl ?? (process.env.SWITCHBOARD_CLIENT_METADATA_URL || undefined);
  if (metadataUrl !== undefined && !/^https:\/\/[^/]+\/.+/.test(metadataUrl)) {
    throw new UsageError(`--client-metadata-url must be an https URL with a path, not "${metadataUrl}"`);
  }
  return {
    ...(flags.scope !== undefined ? { scope: flags.scope.split(/[\s,]+/).filter(Boolean) } : {}),
    ...(flags.clientId !== undefined ? { clientId: flags.clientId } : {}),
    ...(metadataUrl !== undefined ? { clientMetadataUrl: metadataUrl } : {}),
    openBrowser: flags.browser !== false,
    ...(flags.loginTimeout !== undefined ? { timeoutMs: flags.loginTimeout } : {}),
  };
}

/** Checks a server URL argument: http(s), absolute. */
export function serverUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not a URL; give the server's MCP endpoint, e.g. https://mcp.example.com/mcp`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`"${value}" is not an http(s) URL`);
  }
  return url.href;
}
