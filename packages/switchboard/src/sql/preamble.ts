import { createHash } from 'node:crypto';
import type { AuthInfo } from '../protocol/auth.js';
import type { Preamble } from './executor-contract.js';
import type { IdentityOptions, PlanMode } from './query-options.js';
import { SqlCheckError } from './sql-check-error.js';

const PLAN_CACHE_MODES: Record<PlanMode, string> = {
  custom: 'force_custom_plan',
  generic: 'force_generic_plan',
  auto: 'auto',
};

/** The preamble of one query, ready to be completed with each caller's claims. */
export interface PreambleTemplate {
  forCaller(auth: AuthInfo): Preamble;
}

/**
 * Builds the `SELECT set_config(…)` that opens every call. `transaction_read_only` first: PostgreSQL lets a
 * transaction become read-only at any point, and from then on refuses every write, including those inside
 * functions. The other settings are transaction-local (`is_local = true`) and vanish with the transaction, so
 * nothing carries over to the next user of the pooled connection. Role and setting names are bound values too.
 */
export function compilePreamble(options: {
  timeoutMs: number;
  lockTimeoutMs: number;
  plan: PlanMode;
  jit: boolean;
  claims?: IdentityOptions['claims'];
  role?: string;
}): PreambleTemplate {
  const mode = PLAN_CACHE_MODES[options.plan];
  if (mode === undefined) throw new SqlCheckError(`plan must be custom, generic or auto (got "${options.plan}")`);
  const calls = [
    `set_config('transaction_read_only', 'on', true)`,
    // The gateway reads values in these text forms, whatever the server's own defaults are.
    `set_config('DateStyle', 'ISO, MDY', true)`,
    `set_config('IntervalStyle', 'iso_8601', true)`,
    `set_config('bytea_output', 'hex', true)`,
    `set_config('statement_timeout', $1, true)`,
    `set_config('lock_timeout', $2, true)`,
    `set_config('plan_cache_mode', $3, true)`,
    `set_config('jit', $4, true)`,
  ];
  const values: (string | null)[] = [
    String(options.timeoutMs),
    String(options.lockTimeoutMs),
    mode,
    options.jit ? 'on' : 'off',
  ];
  const claims = options.claims === undefined ? 'request.jwt.claims' : options.claims;
  let claimsAt = -1;
  if (claims !== false) {
    if (typeof claims !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z0-9_.]+$/.test(claims)) {
      throw new SqlCheckError(`identity.claims must be a custom setting name such as request.jwt.claims`);
    }
    calls.push(`set_config($${values.length + 1}, $${values.length + 2}, true)`);
    values.push(claims, '{}');
    claimsAt = values.length - 1;
  }
  if (options.role !== undefined) {
    if (options.role === '') throw new SqlCheckError('identity.role must be a role name');
    calls.push(`set_config('role', $${values.length + 1}, true)`);
    values.push(options.role);
  }
  const text = `SELECT ${calls.join(', ')}`;
  const name = `sb_pre_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  const anonymous: Preamble = { name, text, values };
  if (claimsAt === -1) return { forCaller: () => anonymous };
  const byCaller = new WeakMap<AuthInfo, Preamble>();
  return {
    forCaller(auth) {
      let preamble = byCaller.get(auth);
      if (preamble === undefined) {
        const filled = [...values];
        filled[claimsAt] = claimsJson(auth);
        preamble = { name, text, values: filled };
        byCaller.set(auth, preamble);
      }
      return preamble;
    },
  };
}

/**
 * The claims as SQL sees them: every verified claim, with `sub`, `client_id` and `scope` (space-separated, as in
 * OAuth) filled in from the caller's identity when the token did not carry them under those names.
 */
function claimsJson(auth: AuthInfo): string {
  const claims: Record<string, unknown> = { ...auth.claims };
  if (claims.sub === undefined && auth.subject !== undefined) claims.sub = auth.subject;
  if (claims.client_id === undefined && auth.clientId !== undefined) claims.client_id = auth.clientId;
  if (claims.scope === undefined && auth.scopes.length > 0) claims.scope = auth.scopes.join(' ');
  return JSON.stringify(claims);
}
