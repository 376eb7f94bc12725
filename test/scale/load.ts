/** Counts of a bounded closed-loop load run. */
export interface LoadCounts {
  sent: number;
  succeeded: number;
  failed: number;
  /** Failures of requests that started after `cutoff()` turned true (must stay 0 once the dead instance is out). */
  failedAfterCutoff: number;
  sentAfterCutoff: number;
}

/**
 * A closed-loop load generator: `workers` loops each send `request()` until `total` have been sent, counting
 * outcomes (a request fails when `request` rejects or resolves false). `cutoff` marks when later requests must
 * all succeed. Bounded by count; each request is bounded by its own timeout inside `request`.
 */
export async function runLoad(
  total: number,
  workers: number,
  request: (n: number) => Promise<boolean>,
  cutoff: () => boolean = () => false,
  onSent?: (n: number) => void,
): Promise<LoadCounts> {
  const counts: LoadCounts = { sent: 0, succeeded: 0, failed: 0, failedAfterCutoff: 0, sentAfterCutoff: 0 };
  const loop = async () => {
    while (counts.sent < total) {
      const n = counts.sent++;
      onSent?.(n);
      const late = cutoff();
      if (late) counts.sentAfterCutoff++;
      const ok = await request(n).catch(() => false);
      if (ok) counts.succeeded++;
      else {
        counts.failed++;
        if (late) counts.failedAfterCutoff++;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
  return counts;
}
