import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { serveStdio } from 'switchboard-mcp/stdio';
import { beforeAll, describe, expect, it } from 'vitest';
import { fuzzServer, LEGACY, validRequests } from './fixture.js';
import type { StoredCase } from './invariants.js';
import { checkMessage, reproduction } from './invariants.js';
import { byteDamage, damage, mutate, mutation } from './mutations.js';

// Issue 6 over stdio: hostile lines of every method on one connection that began with `initialize` (so both eras
// are served on it). After each line a probe request must be answered: whatever came before it must be well formed.
const RUNS = Number(process.env.FUZZ_STDIO_RUNS ?? 4000);
const ANSWER_WITHIN_MS = 5000;
const CORPUS = new URL('./corpus/', import.meta.url);

let input: PassThrough;
const lines: string[] = [];
let wake: (() => void) | undefined;
let probes = 0;

beforeAll(async () => {
  input = new PassThrough();
  const output = new PassThrough();
  serveStdio(fuzzServer(), { input, output, maxMessageBytes: 256 * 1024 });
  output.setEncoding('utf8');
  let buffer = '';
  output.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      lines.push(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
    wake?.();
  });
  const init = { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } };
  await sendAndProbe(
    Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: init })}\n`),
  );
  lines.length = 0;
});

/** Writes `bytes`, then a probe; resolves with every line written before the probe's answer. */
async function sendAndProbe(bytes: Buffer): Promise<string[]> {
  const id = `probe-${++probes}`;
  input.write(bytes);
  input.write(`\n${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`);
  const deadline = Date.now() + ANSWER_WITHIN_MS;
  for (;;) {
    const at = lines.findIndex((line) => line.includes(`"id":"${id}"`));
    if (at !== -1) {
      const before = lines.splice(0, at + 1);
      const probe = JSON.parse(before.pop() as string);
      expect(probe, 'the connection still serves a normal call').toMatchObject({ id, result: {} });
      return before;
    }
    if (Date.now() > deadline) throw new Error(`no answer to the probe within ${ANSWER_WITHIN_MS} ms`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 50);
    });
  }
}

async function run(kase: StoredCase): Promise<void> {
  try {
    const before = await sendAndProbe(Buffer.from(kase.bodyBase64, 'base64'));
    for (const line of before) {
      expect(line, 'no stack, module or path').not.toMatch(/\n\s+at |node:internal|\/work\/|[\w-]+\.(?:ts|js):\d+/);
      const message = JSON.parse(line) as unknown;
      for (const one of Array.isArray(message) ? message : [message]) checkMessage(one);
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}${reproduction(kase)}`);
  }
}

describe('fuzzing stdio', () => {
  it('replays the stdio cases of the corpus', async () => {
    const cases = readdirSync(CORPUS)
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8')) as StoredCase)
      .filter((kase) => kase.transport === 'stdio');
    expect(cases.length).toBeGreaterThan(0);
    for (const kase of cases) await run(kase);
  });

  it(`${RUNS} generated lines of both eras get well-formed answers`, { timeout: 200_000 }, async () => {
    const requests = [...validRequests('modern'), ...validRequests('legacy')].filter(
      // A listen request lives until the connection ends; its acknowledgment is judged like any message.
      (request) => request.method !== 'initialize',
    );
    let count = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: requests.length - 1 }),
        fc.array(mutation, { maxLength: 3 }),
        byteDamage,
        async (index, mutations, bytes) => {
          // A newline inside the damaged bytes would split one case into two lines; JSON text holds none itself.
          const text = mutate(requests[index] as Record<string, unknown>, mutations);
          await run({ transport: 'stdio', era: 'modern', bodyBase64: damage(text, bytes).toString('base64') });
          count++;
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: 180_000, markInterruptAsFailure: false },
    );
    expect(count).toBeGreaterThanOrEqual(Math.min(RUNS, 500));
  });
});
