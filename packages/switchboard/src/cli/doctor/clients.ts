import type { CheckId, CheckResult, Status } from './check.js';

/**
 * What each client needs from a remote server, as far as this doctor can tell: the checks whose failure stops that
 * client. Every client in use today speaks 2025-11-25; browser-based ones need CORS; each registers its own way.
 * The list is a judgement from each client's documented behaviour, not a test of the client itself.
 */
export const CLIENT_NEEDS: readonly { client: string; needs: readonly CheckId[] }[] = [
  {
    client: 'Claude (web)',
    needs: ['legacy-era', 'challenge', 'prm-path', 'as-issuer', 'pkce', 'registration-types', 'ipv4'],
  },
  {
    client: 'Claude Code',
    needs: ['legacy-era', 'challenge', 'prm-path', 'as-issuer', 'pkce', 'registration-types', 'dcr-loopback'],
  },
  {
    client: 'ChatGPT',
    needs: ['legacy-era', 'challenge', 'prm-path', 'as-issuer', 'pkce', 'registration-types', 'offline-access', 'ipv4'],
  },
  { client: 'Cursor', needs: ['legacy-era', 'challenge', 'prm-root', 'as-issuer', 'pkce', 'dcr-custom-scheme'] },
  {
    client: 'VS Code',
    needs: ['legacy-era', 'challenge', 'prm-path', 'as-issuer', 'pkce', 'dcr-loopback', 'challenge-scope'],
  },
  { client: 'Codex', needs: ['legacy-era', 'challenge', 'prm-path', 'as-issuer', 'pkce', 'dcr-loopback'] },
  {
    client: 'Inspector',
    needs: ['legacy-era', 'cors', 'challenge', 'prm-path', 'as-issuer', 'pkce', 'registration-types'],
  },
];

const RANK: Record<Status, number> = { pass: 0, skip: 1, warn: 2, fail: 3 };

/** One client's verdict: the worst status among the checks it needs, and which checks made it so. */
export interface ClientVerdict {
  client: string;
  status: Status;
  because: CheckId[];
}

export function clientVerdicts(results: readonly CheckResult[]): ClientVerdict[] {
  const byId = new Map(results.map((result) => [result.id, result]));
  return CLIENT_NEEDS.map(({ client, needs }) => {
    const relevant = needs.map((id) => byId.get(id)).filter((r): r is CheckResult => r !== undefined);
    const worst = relevant.reduce<Status>((status, r) => (RANK[r.status] > RANK[status] ? r.status : status), 'pass');
    // A skipped check is no verdict; a client all of whose checks passed or were skipped counts as passing.
    const status: Status = worst === 'skip' ? 'pass' : worst;
    return {
      client,
      status,
      because: relevant.filter((r) => r.status === status && status !== 'pass').map((r) => r.id),
    };
  });
}
