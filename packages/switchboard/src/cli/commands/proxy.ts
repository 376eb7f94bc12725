import type { Command } from 'commander';
import { examples } from '../help-text.js';
import { authorizedFetch } from '../oauth/index.js';
import type { SignInFlags } from '../oauth-options.js';
import { addSignInOptions, serverUrl, signInOptions } from '../oauth-options.js';
import { collectKeyValue } from '../option-parsers.js';
import { HttpRelay } from '../proxy/http-relay.js';

interface ProxyFlags extends SignInFlags {
  header?: Record<string, string>;
}

/** `switchboard proxy <url>`: a stdio server that relays to a remote Streamable HTTP server, signing in itself. */
export function registerProxy(program: Command): void {
  const command = program
    .command('proxy')
    .description(
      'Serve a remote Streamable HTTP server over stdio, for clients that only start local servers; signs in and refreshes tokens itself.',
    )
    .argument('<url>', "the remote server's MCP endpoint")
    .option('-H, --header <NAME=VALUE>', 'a header for every request (e.g. an API key); repeatable', collectKeyValue);
  addSignInOptions(command)
    .addHelpText(
      'after',
      examples(
        [
          'switchboard proxy https://mcp.example.com/mcp',
          'in a client config: command "switchboard", args ["proxy", URL]',
        ],
        [
          'switchboard login https://mcp.example.com/mcp && switchboard proxy https://mcp.example.com/mcp',
          'sign in first, then the proxy uses the kept token',
        ],
      ),
    )
    .action(async (url: string, flags: ProxyFlags) => {
      const resource = serverUrl(url);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // stdout is the protocol stream: sign-in prompts go to stderr, where MCP clients show a server's logs.
      const fetch = authorizedFetch(resource, { ...signInOptions(flags), print: log });
      await new HttpRelay({
        url: resource,
        fetch,
        input: process.stdin,
        output: process.stdout,
        ...(flags.header !== undefined ? { headers: flags.header } : {}),
        log,
      }).run();
    });
}
