/**
 * The SQL benchmark's calls one at a time, in process: where the time of each kind of call goes, without the load.
 * Runs every call of the workload (`SQL_PROBE_TOOL`, default search_leads) `SQL_PROBE_ROUNDS` times (default 3,
 * the first a warm-up), and prints per kind of call the p50, p99 and max of the best of the later rounds, then the
 * slowest calls with their arguments: the ones a p99 under load is made of. Environment: SQL_BENCH_URL as the
 * benchmark (default postgres://postgres@127.0.0.1:5432/leads_1m), or `none` for PGlite in SQL_BENCH_PGLITE_DIR;
 * SQL_PROBE_MATCH, a regular expression: only the calls whose JSON arguments match it.
 */
import pg from 'pg';
import { TestClient } from 'switchboard-mcp/testing';
import { openLeadsDatabase } from '../../../examples/leads/database.js';
import { createLeadsServer } from '../../../examples/leads/leads-server.js';
import { type Args, loadWorkload, NOTE_PHRASES, type Workload } from './workload.js';

const url = process.env.SQL_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/leads_1m';
const tool = (process.env.SQL_PROBE_TOOL ?? 'search_leads') as keyof Workload;
const rounds = Math.max(2, Number(process.env.SQL_PROBE_ROUNDS ?? 3));
const match = process.env.SQL_PROBE_MATCH === undefined ? undefined : new RegExp(process.env.SQL_PROBE_MATCH);
const SLOWEST = 15;

const onPostgres = url !== 'none';
const db = await openLeadsDatabase(
  onPostgres ? { url } : { dataDir: process.env.SQL_BENCH_PGLITE_DIR ?? '.switchboard/sql-bench-pglite' },
);
let workload: Workload;
if (onPostgres) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  workload = await loadWorkload((text, params) => client.query(text, params)).finally(() => client.end());
} else {
  workload = await loadWorkload((text, params) => db.query(text, params));
}
const server = await createLeadsServer(db, { cursorSecret: 'p'.repeat(32) });
const caller = new TestClient(server, {
  auth: { subject: 'sql-probe', scopes: ['leads:read', 'leads:pii'], claims: { sub: 'sql-probe', teams: ['*'] } },
});

/** What kind of call it is: for searches, which field the query came from (the workload takes them in turn). */
const kindOf = (args: Args, index: number): string => {
  if (tool !== 'search_leads') return String(args.group_by ?? tool);
  if (NOTE_PHRASES.includes(args.query as string)) return 'note';
  return ['name', 'company', 'email'][index % 4] as string;
};
const chosen = workload[tool]
  .map((args, index) => ({ args, kind: kindOf(args, index) }))
  .filter(({ args }) => match === undefined || match.test(JSON.stringify(args)));
const calls = chosen.map(({ args }) => args);

const best = new Array<number>(calls.length).fill(Number.POSITIVE_INFINITY);
for (let round = 0; round < rounds; round++) {
  for (const [index, args] of calls.entries()) {
    const started = performance.now();
    const result = await caller.callTool(tool, args);
    const took = performance.now() - started;
    if (result.isError === true) throw new Error(`${tool} ${JSON.stringify(args)} failed: ${JSON.stringify(result)}`);
    if (round > 0) best[index] = Math.min(best[index] as number, took);
  }
}
await db.close();

const kinds = new Map<string, number[]>();
for (const [index, took] of best.entries())
  kinds.set(chosen[index]!.kind, [...(kinds.get(chosen[index]!.kind) ?? []), took]);
const at = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const line = (name: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `| ${name} | ${sorted.length} | ${at(sorted, 0.5).toFixed(2)} | ${at(sorted, 0.99).toFixed(2)} | ${at(sorted, 1).toFixed(2)} |`;
};
console.log(`${tool} on ${onPostgres ? 'PostgreSQL' : 'PGlite'}, one call at a time, best of ${rounds - 1} rounds:\n`);
console.log('| kind | calls | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|');
for (const [kind, sample] of kinds) console.log(line(kind, sample));
console.log(line('all', best));
console.log(`\nSlowest ${SLOWEST}:`);
const slowest = best
  .map((took, index) => ({ took, index, args: calls[index] as Args }))
  .sort((a, b) => b.took - a.took)
  .slice(0, SLOWEST);
for (const { took, index, args } of slowest)
  console.log(`${took.toFixed(2)} ms  ${chosen[index]!.kind}  ${JSON.stringify(args)}`);
