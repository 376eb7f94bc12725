import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startServer } from './child-process.js';
import { loadHttp } from './load-http.js';
import { pinCores } from './pinning.js';
import type { Era } from './requests.js';
import { Sample } from './stats.js';

/**
 * Where a server's CPU goes: one HTTP cell under `node --cpu-prof`, self time summed per function and per file
 * (node internals and dependencies each as one group). Environment: BENCH_SERVER (file in src/servers, default
 * switchboard.ts), BENCH_ERA (modern or legacy, default modern), BENCH_SECONDS (default 5), BENCH_CLIENTS
 * (default 50), BENCH_TOP (rows, default 25).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds on the monotonic clock V8's profiler stamps samples with (shared by all processes here). */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** Hits per profile node among the samples taken between `from` and `to` (the measured window only). */
function hitsWithin(profile: Profile, from: number, to: number): Map<number, number> {
  const hits = new Map<number, number>();
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i] ?? 0;
    if (time >= from && time <= to) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

const file = process.env.BENCH_SERVER ?? 'switchboard.ts';
const era = (process.env.BENCH_ERA ?? 'modern') as Era;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const clients = Number(process.env.BENCH_CLIENTS ?? 50);
const top = Number(process.env.BENCH_TOP ?? 25);
const root = join(import.meta.dirname, '..', '..');

/** A readable place: a repository file, a dependency by package, or node's own code. */
function placeOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules?.[1] !== undefined) return `dependency ${inModules[1]}`;
  return relative(root, path);
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-profile-'));
try {
  const server = await startServer(file, 'http', {
    prefix: pinCores().serverPrefix,
    nodeFlags: ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`],
  });
  const sample = new Sample();
  let from = 0;
  let to = 0;
  try {
    await loadHttp(
      server.url,
      era,
      clients,
      { warmup: 1, seconds, onMeasure: () => (from = monotonicMicros()) },
      sample,
    );
    to = monotonicMicros();
  } finally {
    await server.stop();
  }
  const profileFile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (profileFile === undefined) throw new Error('the server wrote no profile');
  const profile = JSON.parse(readFileSync(join(dir, profileFile), 'utf8')) as Profile;
  const hitsOf = hitsWithin(profile, from, to);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = hitsOf.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    // Idle time is not the server's work; what is left is where its CPU went.
    if (hits === 0 || functionName === '(idle)') continue;
    const place = placeOf(url);
    const name = `${functionName || '(anonymous)'} — ${place}${url === '' ? '' : `:${lineNumber + 1}`}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
    total += hits;
  }
  const share = (hits: number) => `${((100 * hits) / total).toFixed(1)} %`;
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => `| ${name.replaceAll('|', '\\|')} | ${share(hits)} |`);
  const lines = [
    `${file}, HTTP ${era}, ${clients} clients, ${seconds} s measured after 1 s warm-up: ${sample.ok} calls, ${total} busy samples (idle left out).`,
    '',
    '| where (self time) | share |',
    '|---|---:|',
    ...rows(byPlace, top),
    '',
    '| function (self time) | share |',
    '|---|---:|',
    ...rows(byFunction, top),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
