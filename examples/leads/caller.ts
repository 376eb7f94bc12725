import type { AuthInfo, Context } from 'switchboard-mcp';
import type { IdentityOptions } from 'switchboard-mcp/sql';

/** The scope every leads tool, resource and prompt needs. */
export const READ_SCOPE = 'leads:read';
/** The scope that shows full phone numbers and email addresses; without it they are masked. */
export const PII_SCOPE = 'leads:pii';

/**
 * How the SQL gateway enters each caller's identity: their token's claims in `request.jwt.claims` and the
 * `leads_reader` role, to which row-level security on crm.leads and the rollups applies (claim `teams` or `team`).
 */
export const CALLER_IDENTITY: IdentityOptions = { role: 'leads_reader' };

/** Whether this caller may see full phone numbers and emails: bound into every query as `:pii`. */
export function canSeePii(ctx: Context): boolean {
  return ctx.auth.scopes.includes(PII_SCOPE);
}

/**
 * The identity a local run uses until the built-in authorization server protects the endpoint: every team, both
 * scopes. Only for a server bound to 127.0.0.1 over synthetic data; with authorization configured, each token's
 * own claims and scopes take its place.
 */
export const LOCAL_DEVELOPER: AuthInfo = Object.freeze({
  subject: 'local-developer',
  scopes: Object.freeze([READ_SCOPE, PII_SCOPE]),
  claims: Object.freeze({ sub: 'local-developer', teams: ['*'] }),
});
