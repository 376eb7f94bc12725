import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Era } from './requests.js';
import { callBody, INITIALIZE_BODY, INITIALIZED_BODY, isCorrectSum } from './requests.js';
import type { Sample, Window } from './stats.js';
import { startWindow } from './stats.js';

/** Drives a stdio server with `inFlight` requests outstanding at all times. */
export async function loadStdio(
  child: ChildProcess,
  era: Era,
  inFlight: number,
  window: Window,
  sample: Sample,
): Promise<void> {
  const stdin = child.stdin;
  const stdout = child.stdout;
  if (stdin === null || stdout === null) throw new Error('stdio server has no pipes');
  const pending = new Map<number, { a: number; b: number; started: number }>();
  let onInitialized: (() => void) | undefined;
  let stopAt = Number.POSITIVE_INFINITY;
  let nextId = 1;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const send = () => {
    const id = nextId++;
    const a = id % 1000;
    pending.set(id, { a, b: 7, started: performance.now() });
    stdin.write(`${callBody(id, a, 7, era)}\n`);
  };
  const lines = createInterface({ input: stdout });
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { id?: number } & Record<string, unknown>;
    if (message.id === 0) return onInitialized?.();
    if (typeof message.id !== 'number') return;
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    sample.record(performance.now() - call.started, isCorrectSum(message, call.a, call.b));
    if (performance.now() < stopAt) send();
    else if (pending.size === 0) done();
  });
  if (era === 'legacy') {
    await new Promise<void>((resolve) => {
      onInitialized = resolve;
      stdin.write(`${INITIALIZE_BODY}\n`);
    });
    stdin.write(`${INITIALIZED_BODY}\n`);
  }
  stopAt = startWindow(window, sample);
  for (let i = 0; i < inFlight; i++) send();
  await finished;
  lines.close();
}
