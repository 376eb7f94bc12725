import type { Command } from 'commander';
import { paletteFor } from '../colors.js';
import { examples } from '../help-text.js';
import { login } from '../oauth/index.js';
import type { SignInFlags } from '../oauth-options.js';
import { addSignInOptions, serverUrl, signInOptions } from '../oauth-options.js';
import { describeLogin } from './whoami.js';

/** `switchboard login <url>`: signs in to a protected MCP server and keeps its tokens. */
export function registerLogin(program: Command): void {
  const command = program
    .command('login')
    .description('Sign in to a protected MCP server (OAuth in your browser); the tokens are kept for later commands.')
    .argument('<url>', "the server's MCP endpoint");
  addSignInOptions(command)
    .addHelpText(
      'after',
      examples(
        ['switchboard login https://mcp.example.com/mcp', 'opens the browser to sign in, then keeps the tokens'],
        ['switchboard login http://127.0.0.1:3000/mcp --no-browser', 'prints the URL to open yourself'],
        ['switchboard login https://mcp.example.com/mcp --scope "leads:read leads:write"', 'asks for these scopes'],
      ),
    )
    .action(async (url: string, flags: SignInFlags) => {
      const resource = serverUrl(url);
      const result = await login(resource, signInOptions(flags));
      const { green } = paletteFor(process.stdout);
      if (result.status === 'open') {
        process.stdout.write(
          `${resource} does not ask for a token (it answered ${result.httpStatus}): nothing to sign in to.\n`,
        );
        return;
      }
      process.stdout.write(`${green('✔')} Signed in to ${resource}\n`);
      process.stdout.write(describeLogin(result.login));
    });
}
