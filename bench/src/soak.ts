import { randomBytes } from 'node:crypto';
import { startServer } from './child-process.js';
import { loadHttp } from './load-http.js';
import { Sample } from './stats.js';

/**
 * Issue 10 §4: a bounded soak. One instance with Redis stores under moderate closed-loop load (both eras
 * alternating), heap after GC and RSS sampled every SOAK_SAMPLE_SECONDS (default 10) for SOAK_SECONDS (default 600),
 * then the least-squares slope of each, in KiB per minute. Flat memory means slopes near zero against the heap size.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const EVERY = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 8);
process.env.REDIS_URL ||= 'redis://127.0.0.1:6379';
process.env.BENCH_PREFIX = `sbsoak:${randomBytes(4).toString('hex')}:`;
process.env.BENCH_STORES = process.env.SOAK_STORES ?? 'redis';

function slopeKibPerMinute(points: { t: number; bytes: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mb = points.reduce((s, p) => s + p.bytes, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.bytes - mb), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : ((num / den) * 60) / 1024;
}

const server = await startServer('switchboard-shared.ts', 'http', { exposeGc: true });
const heap: { t: number; bytes: number }[] = [];
const rss: { t: number; bytes: number }[] = [];
const start = performance.now();
const sampler = setInterval(() => {
  void server.memory().then((m) => {
    const t = (performance.now() - start) / 1000;
    heap.push({ t, bytes: m.heapUsed });
    rss.push({ t, bytes: m.rss });
    console.log(
      `t=${t.toFixed(0)}s heap=${(m.heapUsed / 1048576).toFixed(1)} MiB rss=${(m.rss / 1048576).toFixed(1)} MiB`,
    );
  });
}, EVERY * 1000);
const samples: Sample[] = [];
try {
  // Half the clients speak each era; each era's loop runs for the whole soak.
  await Promise.all(
    (['modern', 'legacy'] as const).map((era) => {
      const sample = new Sample();
      samples.push(sample);
      return loadHttp(
        server.url,
        era,
        Math.max(1, CLIENTS / 2),
        { warmup: 0, seconds: SECONDS, onMeasure: () => {} },
        sample,
      );
    }),
  );
} finally {
  clearInterval(sampler);
  await server.stop();
}
const calls = samples.reduce((s, x) => s + x.ok, 0);
const errors = samples.reduce((s, x) => s + x.failed, 0);
// The first minute is warm-up (JIT, pools filling): the slope is taken over what follows when there is enough.
const steady = (points: typeof heap) => (points.length > 12 ? points.filter((p) => p.t >= 60) : points);
console.log(
  `soak ${SECONDS} s, ${CLIENTS} clients: ${calls} calls, ${errors} errors; heap slope ${slopeKibPerMinute(steady(heap)).toFixed(1)} KiB/min, RSS slope ${slopeKibPerMinute(steady(rss)).toFixed(1)} KiB/min over ${steady(heap).length} samples`,
);
