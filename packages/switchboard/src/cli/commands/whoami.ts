import type { Command } from 'commander';
import { examples } from '../help-text.js';
import type { CachedLogin } from '../oauth/index.js';
import { isExpired, OAuthClientError, refresh, TokenCache } from '../oauth/index.js';
import { unverifiedClaims } from '../oauth/token-claims.js';
import { serverUrl } from '../oauth-options.js';

/** `switchboard whoami <url>`: who the cached token says you are, refreshing it first when it has expired. */
export function registerWhoami(program: Command): void {
  program
    .command('whoami')
    .description('Show who you are signed in as on a server, refreshing an expired token first.')
    .argument('<url>', "the server's MCP endpoint")
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      examples(['switchboard whoami https://mcp.example.com/mcp', 'subject, scopes, client, expiry']),
    )
    .action(async (url: string, flags: { json?: boolean }) => {
      const resource = serverUrl(url);
      const cache = new TokenCache();
      let login = cache.get(resource);
      if (login !== undefined && isExpired(login.tokens)) login = await refresh(login, cache);
      if (login === undefined || isExpired(login.tokens)) {
        throw new OAuthClientError(`not signed in to ${resource}: run \`switchboard login ${resource}\``);
      }
      const summary = summarize(login);
      process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : describeLogin(login));
    });
}

/** What `whoami --json` prints: nothing secret, only what the token says and how it was got. */
export function summarize(login: CachedLogin) {
  const claims = unverifiedClaims(login.tokens.access_token) ?? {};
  return {
    resource: login.resource,
    issuer: login.authorizationServer.issuer,
    subject: typeof claims.sub === 'string' ? claims.sub : undefined,
    username: typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined,
    scopes: (login.tokens.scope ?? (typeof claims.scope === 'string' ? claims.scope : '')).split(' ').filter(Boolean),
    clientId: login.client.client_id,
    registration: login.registration,
    expiresAt: login.tokens.expires_at !== undefined ? new Date(login.tokens.expires_at).toISOString() : undefined,
    refreshable: login.tokens.refresh_token !== undefined,
    signedInAt: new Date(login.signed_in_at).toISOString(),
  };
}

/** The human form of a login, one fact a line. */
export function describeLogin(login: CachedLogin): string {
  const s = summarize(login);
  const rows: [string, string | undefined][] = [
    ['subject', s.username !== undefined ? `${s.subject} (${s.username})` : s.subject],
    ['scopes', s.scopes.length > 0 ? s.scopes.join(' ') : '(none)'],
    ['issuer', s.issuer],
    ['client', `${s.clientId} (${s.registration.replace('-', ' ')})`],
    ['expires', s.expiresAt !== undefined ? `${s.expiresAt}${s.refreshable ? ', refreshable' : ''}` : 'not stated'],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([name, value]) => `  ${name.padEnd(8)} ${value}\n`)
    .join('');
}
