import { isExpired, TokenCache } from '../oauth/index.js';
import { checkAuthorization } from './auth-checks.js';
import type { CheckResult } from './check.js';
import { CHECK_IDS } from './check.js';
import type { ClientVerdict } from './clients.js';
import { clientVerdicts } from './clients.js';
import { checkLatency } from './latency-checks.js';
import { checkCors, checkEras, checkIpv4, checkOriginAndHost } from './transport-checks.js';

/** The doctor's findings: every check in a fixed order, and a verdict per client. */
export interface DoctorReport {
  url: string;
  /** Whether a token from `switchboard login` was used for the checks that need one. */
  signedIn: boolean;
  checks: CheckResult[];
  clients: ClientVerdict[];
}

/**
 * Examines a deployed MCP server the way real clients meet it. A token kept by `switchboard login` is used for
 * the checks behind authorization (both eras, latency); without one they are skipped on a protected server.
 */
export async function runDoctor(url: string, cache = new TokenCache()): Promise<DoctorReport> {
  const login = cache.get(url);
  const token = login !== undefined && !isExpired(login.tokens) ? login.tokens.access_token : undefined;
  const bearer: Record<string, string> = token !== undefined ? { authorization: `Bearer ${token}` } : {};
  const eras = await checkEras(url, bearer);
  const [legacy, modern] = eras;
  const era = modern?.status === 'pass' ? 'modern' : legacy?.status === 'pass' ? 'legacy' : undefined;
  const [originAndHost, cors, auth, latency, ipv4] = await Promise.all([
    checkOriginAndHost(url, bearer),
    checkCors(url),
    checkAuthorization(url),
    checkLatency(url, bearer, era),
    checkIpv4(url),
  ]);
  const all = [...eras, ...originAndHost, cors, ...auth.results, ...latency, ipv4];
  const checks = CHECK_IDS.map((id) => all.find((result) => result.id === id)).filter(
    (result): result is CheckResult => result !== undefined,
  );
  return { url, signedIn: token !== undefined, checks, clients: clientVerdicts(checks) };
}
