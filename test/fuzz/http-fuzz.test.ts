import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzServer, headersFor, LEGACY, validRequests } from './fixture.js';
import type { StoredCase } from './invariants.js';
import { checkAnswer, reproduction, send } from './invariants.js';
import { byteDamage, damage, damageHeaders, headerDamage, mutate, mutation } from './mutations.js';

// Issue 6: generated hostile requests of every method, in both eras (2025-era ones inside a real session), against
// the real HTTP handler. Runs per era, the corpus of past failures first.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RUNS_PER_ERA = Number(process.env.FUZZ_RUNS ?? 3000);
const ANSWER_WITHIN_MS = 5000;
const CORPUS = new URL('./corpus/', import.meta.url);

let handle: HttpServerHandle;
let url: string;
let host: string;
let session: string;
let heapBefore = 0;

async function openSession(): Promise<string> {
  const body = Buffer.from(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
    }),
  );
  const headers: [string, string][] = [
    ['host', host],
    ['content-type', 'application/json'],
    ['accept', 'application/json, text/event-stream'],
  ];
  const { hostname, port, pathname } = new URL(url);
  const response = await fetch(`http://${hostname}:${port}${pathname}`, { method: 'POST', body, headers });
  await response.text();
  return response.headers.get('mcp-session-id') as string;
}

/** The server still answers a normal call of each era. */
async function stillServes(): Promise<void> {
  for (const era of ['modern', 'legacy'] as const) {
    const message = validRequests(era)[1] as Record<string, unknown>;
    const answer = await send(
      url,
      headersFor(era, host, message, session),
      Buffer.from(JSON.stringify(message)),
      ANSWER_WITHIN_MS,
    );
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text).result.content[0].text).toBe('3');
  }
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

beforeAll(async () => {
  handle = await serve(fuzzServer(), { port: 0 });
  url = handle.url;
  host = new URL(url).host;
  session = await openSession();
  await stillServes();
  heapBefore = await heapAfterGc();
});
afterAll(() => handle.close());

async function run(kase: StoredCase): Promise<void> {
  const headers = (kase.headers ?? []).map(
    ([n, v]) => [n, v.replace('$HOST', host).replace('$SESSION', session)] as [string, string],
  );
  let answer: Awaited<ReturnType<typeof send>>;
  try {
    answer = await send(url, headers, Buffer.from(kase.bodyBase64, 'base64'), ANSWER_WITHIN_MS);
  } catch (error) {
    // A header value Node itself will not send is no request the server could get.
    if ((error as { code?: string }).code === 'ERR_INVALID_CHAR') return;
    throw new Error(`${(error as Error).message}${reproduction(kase)}`);
  }
  try {
    checkAnswer(answer);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\nanswer: HTTP ${answer.status} ${answer.text.slice(0, 500)}${reproduction(kase)}`,
    );
  }
}

function corpus(): [string, StoredCase][] {
  return readdirSync(CORPUS)
    .filter((file) => file.endsWith('.json'))
    .map(
      (file) => [file, JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8')) as StoredCase] as [string, StoredCase],
    )
    .filter(([, kase]) => kase.transport === 'http');
}

describe('fuzzing the HTTP endpoint', () => {
  it('replays every past failure in the corpus', async () => {
    const cases = corpus();
    expect(cases.length).toBeGreaterThan(0);
    for (const [, kase] of cases) await run(kase);
    await stillServes();
  });

  for (const era of ['modern', 'legacy'] as const) {
    it(`${RUNS_PER_ERA} generated ${era} requests get spec answers`, { timeout: 240_000 }, async () => {
      const requests = validRequests(era);
      let count = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: requests.length - 1 }),
          fc.array(mutation, { maxLength: 3 }),
          byteDamage,
          headerDamage,
          async (index, mutations, bytes, headerHarm) => {
            const base = requests[index] as Record<string, unknown>;
            const text = mutate(base, mutations);
            const headers = damageHeaders(headersFor(era, '$HOST', base, '$SESSION'), headerHarm);
            await run({ transport: 'http', era, headers, bodyBase64: damage(text, bytes).toString('base64') });
            if (++count % 500 === 0) await stillServes();
          },
        ),
        { numRuns: RUNS_PER_ERA, interruptAfterTimeLimit: 200_000, markInterruptAsFailure: false },
      );
      expect(count).toBeGreaterThanOrEqual(Math.min(RUNS_PER_ERA, 1000));
      await stillServes();
    });
  }

  it('keeps the heap bounded after all of it', async () => {
    const growth = (await heapAfterGc()) - heapBefore;
    expect(growth).toBeLessThan(64 * 1024 * 1024);
  });
});
