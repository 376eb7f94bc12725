import type { Command } from 'commander';
import { paletteFor } from '../colors.js';
import { examples } from '../help-text.js';
import { logout, TokenCache } from '../oauth/index.js';
import { serverUrl } from '../oauth-options.js';

/** `switchboard logout <url>`: revokes a server's tokens and forgets them. */
export function registerLogout(program: Command): void {
  program
    .command('logout')
    .description('Sign out of a server: revoke its tokens at the authorization server and delete them here.')
    .argument('<url>', "the server's MCP endpoint")
    .addHelpText(
      'after',
      examples(['switchboard logout https://mcp.example.com/mcp', 'revokes and forgets the tokens']),
    )
    .action(async (url: string) => {
      const resource = serverUrl(url);
      const result = await logout(resource, new TokenCache());
      const { green, yellow } = paletteFor(process.stdout);
      if (!result.found) {
        process.stdout.write(`Not signed in to ${resource}: nothing to do.\n`);
        return;
      }
      for (const warning of result.warnings) process.stderr.write(`${yellow('warning:')} ${warning}\n`);
      const revoked = result.revoked.length > 0 ? ` (revoked: ${result.revoked.join(', ').replaceAll('_', ' ')})` : '';
      process.stdout.write(`${green('✔')} Signed out of ${resource}${revoked}\n`);
    });
}
