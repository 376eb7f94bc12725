/** How one check came out. `skip`: it could not run (no token, nothing to check against), which is no verdict. */
export type Status = 'pass' | 'warn' | 'fail' | 'skip';

/** The ids of every check, in the order they run and print. */
export const CHECK_IDS = [
  'legacy-era',
  'modern-era',
  'origin',
  'host',
  'cors',
  'challenge',
  'challenge-scope',
  'prm-path',
  'prm-root',
  'offline-access',
  'as-issuer',
  'pkce',
  'registration-types',
  'iss-parameter',
  'dcr-loopback',
  'dcr-custom-scheme',
  'latency-list',
  'latency-call',
  'ipv4',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** One row of the report: what was checked, what was seen, and for a warning or failure what to change. */
export interface CheckResult {
  id: CheckId;
  title: string;
  status: Status;
  detail: string;
  fix?: string;
}

export const pass = (id: CheckId, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'pass',
  detail,
});
export const skip = (id: CheckId, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'skip',
  detail,
});
export const warn = (id: CheckId, title: string, detail: string, fix: string): CheckResult => ({
  id,
  title,
  status: 'warn',
  detail,
  fix,
});
export const fail = (id: CheckId, title: string, detail: string, fix: string): CheckResult => ({
  id,
  title,
  status: 'fail',
  detail,
  fix,
});
