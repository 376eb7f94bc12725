import type { McpClient } from '../../client/index.js';
import type { CallToolResult, Params } from '../../protocol/messages.js';

/** What a bench runs: one tool with fixed arguments, from `concurrency` closed-loop workers. */
export interface BenchPlan {
  tool: string;
  args: Params;
  concurrency: number;
  durationMs: number;
  /** Stop after this many calls in all, if reached before the duration. */
  maxRequests?: number;
  /** Text every answer's content must contain, besides not being an error. */
  expect?: string;
  /** Called about every 200 ms with the calls done so far. */
  onTick?: (done: number, elapsedMs: number) => void;
}

/** The outcome: latencies of the good answers, and every bad answer counted by its reason. */
export interface BenchResult {
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/**
 * Closed loop: each worker sends its next call once the last is answered, until the time (or request budget) is
 * spent. Every answer is checked: a JSON-RPC error, `isError`, or content without the expected text is an error.
 */
export async function runBench(client: McpClient, plan: BenchPlan): Promise<BenchResult> {
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + plan.durationMs;
  let sent = 0;
  const more = () => performance.now() < deadline && (plan.maxRequests === undefined || sent < plan.maxRequests);
  const fail = (kind: string) => {
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const worker = async () => {
    while (more()) {
      sent++;
      const begin = performance.now();
      try {
        const problem = check(await client.callTool(plan.tool, plan.args), plan.expect);
        if (problem === undefined) latencies.push(performance.now() - begin);
        else fail(problem);
      } catch (error) {
        fail((error as Error).message.slice(0, 80));
      }
    }
  };
  const ticker = setInterval(() => plan.onTick?.(sent, performance.now() - started), 200);
  try {
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
  } finally {
    clearInterval(ticker);
  }
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const errors = Object.values(errorKinds).reduce((sum, count) => sum + count, 0);
  return {
    requests: latencies.length + errors,
    errors,
    errorKinds,
    elapsedMs,
    requestsPerSecond: ((latencies.length + errors) * 1000) / elapsedMs,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    p999Ms: percentile(latencies, 0.999),
    maxMs: latencies.at(-1) ?? 0,
  };
}

function check(result: CallToolResult, expected: string | undefined): string | undefined {
  if (!Array.isArray(result.content)) return 'a result without content';
  if (result.isError === true) return 'isError';
  if (expected === undefined) return undefined;
  const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
  return text.includes(expected) ? undefined : 'content without the expected text';
}

/** The nearest-rank percentile of sorted values (0 when there are none). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}
